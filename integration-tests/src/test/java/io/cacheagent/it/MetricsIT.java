package io.cacheagent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.cacheagent.testkit.RedisEndpoint;
import io.cacheagent.testkit.RedisExtension;
import io.cacheagent.testkit.RedisServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The Prometheus endpoint and the summary line, for a known sequence of calls. */
@ExtendWith(RedisExtension.class)
class MetricsIT {

  private static final String FIND = "method=\"com.acme.shop.ProductRepository#findById(long)\"";

  @TempDir
  Path dir;

  @Test
  void endpoint_countsAKnownSequenceOfCalls_andTheLogCarriesASummaryLine(RedisEndpoint redis) throws Exception {
    int port = RedisServer.freePort();
    String yaml = Configs.shop(redis.uri(), "metrics-" + UUID.randomUUID())
        .replace("methods:\n", "metrics:\n  port: " + port + "\n  statsInterval: 1s\nmethods:\n");
    try (AppProcess app = AppProcess.shop(Configs.write(dir, "shop.yaml", yaml))) {
      app.awaitAgentReady(true).awaitLog("[cache-agent] metrics: http://0.0.0.0:" + port + "/metrics");
      app.call("find 1");
      app.call("find 1");
      app.call("find 2");

      HttpResponse<String> response = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
      assertThat(response.body()).contains(
          "# TYPE cache_agent_calls_total counter\n",
          "cache_agent_calls_total{" + FIND + ",result=\"hit\"} 1\n",
          "cache_agent_calls_total{" + FIND + ",result=\"miss\"} 2\n",
          "cache_agent_calls_total{" + FIND + ",result=\"uncached\"} 0\n",
          "cache_agent_calls_total{" + FIND + ",result=\"off\"} 0\n",
          "cache_agent_entry_errors_total{" + FIND + ",kind=\"refused\"} 0\n",
          "# TYPE cache_agent_load_seconds summary\n",
          "cache_agent_evictions_total{" + FIND + "} 0\n",
          "cache_agent_load_seconds_count{" + FIND + "} 2\n",
          "cache_agent_method_enabled{" + FIND + "} 1\n",
          "cache_agent_store_up 1\n");
      assertThat(response.body()).containsPattern("cache_agent_load_seconds\\{" + FIND.replace("(", "\\(").replace(")", "\\)")
          + ",quantile=\"0.99\"} [0-9.e-]+\n");
      app.awaitLog("[cache-agent] stats: 6 cached methods, 3 calls: 1 hits, 2 misses, 0 coalesced, 0 uncached, 0 managed, 0 off; hit ratio 33.3%;"
          + " 0 entry errors; store connected");
    }
  }
}
