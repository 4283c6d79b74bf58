package io.cacheagent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.cacheagent.testkit.RedisEndpoint;
import io.cacheagent.testkit.RedisExtension;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent in an embedded Tomcat: the cached class lives in a web application's WEB-INF/classes,
 * compiled by the test, and so only Tomcat's webapp class loader can see it (it is on no class path).
 */
@ExtendWith(RedisExtension.class)
class ServletContainerIT {

  private static final String WEBAPP_LOADER = "org.apache.catalina.loader.ParallelWebappClassLoader";

  @TempDir
  Path dir;

  @Test
  void classOnlyTheWebappLoaderSees_isCached_andServedAcrossRestarts(RedisEndpoint redis) throws Exception {
    Path webapp = buildWebapp();
    Path config = Configs.write(dir, "webapp.yaml", """
        redis:
          uri: %s
          keyPrefix: webapp-%d
          commandTimeout: 500ms
        methods:
          - method: com.acme.web.Catalog#title(long)
        """.formatted(redis.uri(), System.nanoTime()));

    try (AppProcess tomcat = tomcat(config, webapp)) {
      assertThat(tomcat.call("GET /books?id=1")).isEqualTo("title-1 lookups=1 loader=" + WEBAPP_LOADER);
      assertThat(tomcat.call("GET /books?id=1")).isEqualTo("title-1 lookups=1 loader=" + WEBAPP_LOADER);
      assertThat(tomcat.call("GET /books?id=2")).isEqualTo("title-2 lookups=2 loader=" + WEBAPP_LOADER);
      assertThat(tomcat.log()).contains("instrumented com.acme.web.Catalog (1 cached, 0 evicting)");
    }
    try (AppProcess restarted = tomcat(config, webapp)) {
      assertThat(restarted.call("GET /books?id=1")).as("served from Redis to the next Tomcat").isEqualTo("title-1 lookups=0 loader=" + WEBAPP_LOADER);
    }
  }

  private static AppProcess tomcat(Path config, Path webapp) throws Exception {
    return AppProcess.start(config, List.of("-Dwebapp.dir=" + webapp), System.getProperty("java.class.path"),
        "com.acme.container.TomcatLauncher", Map.of()).awaitAgentReady(true);
  }

  /** Compiles the web application's classes into WEB-INF/classes of a new directory. */
  private Path buildWebapp() throws Exception {
    Path webapp = dir.resolve("webapp");
    String servletApi = Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(entry -> entry.contains("tomcat-embed-core")).findFirst().orElseThrow();
    Javac.compileResources("/webapp", webapp.resolve("WEB-INF/classes"), servletApi);
    return webapp;
  }
}
