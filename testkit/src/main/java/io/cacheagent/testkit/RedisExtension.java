package io.cacheagent.testkit;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives a test a real Redis, hiding where it comes from. In order of preference:
 *
 * <ol>
 *   <li>{@code REDIS_URI} from the environment: an existing server;
 *   <li>a {@code redis-server} binary on the PATH, started on a free port (the project's machines);
 *   <li>a Testcontainers Redis container, where a Docker engine answers.
 * </ol>
 *
 * One server is started for the whole test run and shared: tests keep apart by key prefix. A test
 * that kills or pauses Redis starts its own {@link RedisServer}. Inject a {@link RedisEndpoint}.
 */
public final class RedisExtension implements ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RedisExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == RedisEndpoint.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context.getRoot().getStore(NAMESPACE)
        .getOrComputeIfAbsent("redis", k -> new Holder(open()), Holder.class)
        .endpoint;
  }

  private static RedisEndpoint open() {
    String external = System.getenv("REDIS_URI");
    if (external != null && !external.isBlank()) {
      return new RedisEndpoint(external, null);
    }
    try {
      if (RedisServer.isInstalled()) {
        RedisServer server = RedisServer.start();
        return new RedisEndpoint(server.uri(), server);
      }
      return DockerRedis.start();
    } catch (Exception e) {
      throw new IllegalStateException("cannot start a Redis server for tests: " + e.getMessage(), e);
    }
  }

  /** Stops the server when the test run is done. */
  private static final class Holder implements ExtensionContext.Store.CloseableResource {
    final RedisEndpoint endpoint;

    Holder(RedisEndpoint endpoint) {
      this.endpoint = endpoint;
    }

    @Override
    public void close() throws Exception {
      if (endpoint.server() != null) {
        endpoint.server().close();
      }
    }
  }
}
