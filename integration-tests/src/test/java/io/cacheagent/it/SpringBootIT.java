package io.cacheagent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.cacheagent.testkit.RedisEndpoint;
import io.cacheagent.testkit.RedisExtension;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent in front of a Spring Boot executable jar (fixtures/spring-boot-app, built by the
 * Spring Boot Maven plugin, run with {@code java -jar}): application classes come from
 * {@code BOOT-INF/classes} and {@code BOOT-INF/lib/*.jar} through Spring Boot's own class loader,
 * and the services sit behind CGLIB proxies with an interceptor.
 */
@ExtendWith(RedisExtension.class)
class SpringBootIT {

  private static final Path JAR = Path.of(System.getProperty("spring.boot.jar"));

  @TempDir
  Path dir;

  private Path config;

  @BeforeEach
  void writeConfig(RedisEndpoint redis) throws Exception {
    config = Configs.write(dir, "boot.yaml", """
        redis:
          uri: %s
          keyPrefix: boot-%d
          commandTimeout: 500ms
        methods:
          - method: com.acme.boot.QuoteService#quote(java.lang.String)
          - method: com.acme.boot.CatalogService#describe(long)
          - method: com.acme.pricing.TaxTable#rate(java.lang.String)
        """.formatted(redis.uri(), System.nanoTime()));
  }

  private AppProcess boot() throws Exception {
    return AppProcess.startJar(config, List.of(), JAR).awaitAgentReady(true);
  }

  @Test
  void serviceBehindACglibProxy_isCachedInTheTarget_andTheInterceptorRunsOnEveryCall() throws Exception {
    try (AppProcess app = boot()) {
      assertThat(app.call("classes")).contains("com.acme.boot.QuoteService$$SpringCGLIB$$");

      assertThat(app.call("quote ACME")).isEqualTo("Quote[symbol=ACME, cents=4000] computations=1 intercepted=1");
      assertThat(app.call("quote ACME")).isEqualTo("Quote[symbol=ACME, cents=4000] computations=1 intercepted=2");
      assertThat(app.log()).contains("instrumented com.acme.boot.QuoteService (1 cached, 0 evicting)")
          .doesNotContain("instrumented com.acme.boot.QuoteService$$");
    }
  }

  @Test
  void interfaceMethod_isCachedInTheSpringBeanThatImplementsIt() throws Exception {
    try (AppProcess app = boot()) {
      assertThat(app.call("describe 9")).isEqualTo("item-9 computations=1 intercepted=1");
      assertThat(app.call("describe 9")).isEqualTo("item-9 computations=1 intercepted=2");
      assertThat(app.log()).contains("instrumented com.acme.boot.CatalogServiceImpl (1 cached, 0 evicting)")
          .doesNotContain("instrumented com.acme.boot.CatalogServiceImpl$$");
    }
  }

  @Test
  void classOfANestedLibraryJar_isCachedThroughSpringBootsClassLoader() throws Exception {
    try (AppProcess app = boot()) {
      assertThat(app.call("classes")).endsWith("org.springframework.boot.loader.launch.LaunchedClassLoader");

      assertThat(app.call("tax FR")).isEqualTo("Rate[country=FR, percent=20] lookups=1");
      assertThat(app.call("tax FR")).isEqualTo("Rate[country=FR, percent=20] lookups=1");
    }
    try (AppProcess restarted = boot()) {
      assertThat(restarted.call("tax FR")).as("served from Redis by the next JVM").isEqualTo("Rate[country=FR, percent=20] lookups=0");
    }
  }
}
