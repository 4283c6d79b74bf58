package io.cacheagent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.cacheagent.testkit.RedisEndpoint;
import io.cacheagent.testkit.RedisExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent and the OpenTelemetry Java agent (from Maven Central) in one JVM, in both orders, both
 * instrumenting the same method: OpenTelemetry traces it (its "methods" instrumentation, spans
 * printed by the logging exporter) while the agent caches it.
 */
@ExtendWith(RedisExtension.class)
class OpenTelemetryIT {

  private static final String OTEL_AGENT = System.getProperty("otel.agent.jar");
  private static final List<String> OTEL_SETTINGS = List.of(
      "-Dotel.traces.exporter=logging", "-Dotel.metrics.exporter=none", "-Dotel.logs.exporter=none",
      "-Dotel.instrumentation.methods.include=com.acme.shop.ProductRepository[findById]");

  @TempDir
  Path dir;

  private Path config;

  @BeforeEach
  void writeConfig(RedisEndpoint redis) throws Exception {
    config = Configs.write(dir, "shop.yaml", Configs.shop(redis.uri(), "otel-" + System.nanoTime()));
  }

  @Test
  void cacheAgentFirst_openTelemetrySecond_bothWork() throws Exception {
    List<String> options = new ArrayList<>(List.of("-javaagent:" + OTEL_AGENT));
    options.addAll(OTEL_SETTINGS);
    try (AppProcess app = AppProcess.start(config, options, AppProcess.appClassPath(), "com.acme.shop.ShopApp", Map.of())) {
      bothWork(app);
    }
  }

  @Test
  void openTelemetryFirst_cacheAgentSecond_bothWork() throws Exception {
    List<String> options = new ArrayList<>(List.of("-javaagent:" + OTEL_AGENT, "-javaagent:" + AppProcess.agentJar() + "=" + config));
    options.addAll(OTEL_SETTINGS);
    try (AppProcess app = AppProcess.start(null, options, AppProcess.appClassPath(), "com.acme.shop.ShopApp", Map.of())) {
      bothWork(app);
    }
  }

  private static void bothWork(AppProcess app) throws Exception {
    app.awaitAgentReady(true);
    assertThat(app.call("find 1")).isEqualTo("Product{1,product-1,10} queries=1");
    assertThat(app.call("find 1")).isEqualTo("Product{1,product-1,10} queries=1");
    app.awaitLog("'ProductRepository.findById' : ");
    assertThat(app.log()).contains("instrumented com.acme.shop.ProductRepository").doesNotContain("cannot instrument");
  }
}
