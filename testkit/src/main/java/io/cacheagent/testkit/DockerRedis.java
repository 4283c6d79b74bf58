package io.cacheagent.testkit;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;

/** The Testcontainers fallback of {@link RedisExtension}, for machines with Docker but no redis-server. */
final class DockerRedis {

  private DockerRedis() {}

  @SuppressWarnings("resource") // stopped by Testcontainers' reaper when the JVM exits
  static RedisEndpoint start() {
    if (!DockerClientFactory.instance().isDockerAvailable()) {
      throw new IllegalStateException("no redis-server on the PATH and no Docker engine; install redis-server or set REDIS_URI");
    }
    GenericContainer<?> redis = new GenericContainer<>("redis:7-alpine").withExposedPorts(6379);
    redis.start();
    return new RedisEndpoint("redis://" + redis.getHost() + ":" + redis.getMappedPort(6379) + "/0", null);
  }
}
