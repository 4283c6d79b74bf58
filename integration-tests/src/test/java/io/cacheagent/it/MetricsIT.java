package io.cacheagent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cacheagent.testkit.RedisEndpoint;
import io.cacheagent.testkit.RedisExtension;
import io.cacheagent.testkit.RedisServer;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The Prometheus endpoint (what it answers, where it listens) and the summary line, for a known sequence of calls. */
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
      app.awaitAgentReady(true).awaitLog("[cache-agent] metrics: http://127.0.0.1:" + port + "/metrics");
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
      app.awaitLog("[cache-agent] stats: 6 cached methods, 3 calls: 1 hits (0 near), 2 misses, 0 coalesced, 0 uncached, 0 managed, 0 off; hit ratio 33.3%;"
          + " 0 entry errors; store connected");
    }
  }

  @Test
  void endpoint_answersOnlyGetMetrics_andOnlyOnLoopbackByDefault(RedisEndpoint redis) throws Exception {
    int port = RedisServer.freePort();
    String yaml = Configs.shop(redis.uri(), "metrics-" + UUID.randomUUID()).replace("methods:\n", "metrics:\n  port: " + port + "\nmethods:\n");
    try (AppProcess app = AppProcess.shop(Configs.write(dir, "shop.yaml", yaml))) {
      app.awaitAgentReady(true).awaitLog("[cache-agent] metrics: http://127.0.0.1:" + port + "/metrics");
      HttpClient http = HttpClient.newHttpClient();
      URI metrics = URI.create("http://127.0.0.1:" + port + "/metrics");

      assertThat(http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
      HttpResponse<Void> post = http.send(HttpRequest.newBuilder(metrics).POST(HttpRequest.BodyPublishers.ofString("x")).build(),
          HttpResponse.BodyHandlers.discarding());
      assertThat(post.statusCode()).isEqualTo(405);
      assertThat(post.headers().firstValue("Allow")).hasValue("GET");
      for (String path : List.of("/metricsANYTHING", "/metrics/x", "/", "/admin")) {
        assertThat(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode()).as(path).isEqualTo(404);
      }

      Optional<InetAddress> outside = nonLoopbackAddress();
      assumeTrue(outside.isPresent(), "this host has no address but loopback to try from");
      try (Socket socket = new Socket()) {
        assertThatThrownBy(() -> socket.connect(new InetSocketAddress(outside.get(), port), 2_000))
            .as("not listening on " + outside.get()).isInstanceOf(ConnectException.class);
      }
    }
  }

  @Test
  void twoJvmsSharingOneFileWithPortZero_eachServeMetricsOnAFreePortOfItsOwn(RedisEndpoint redis) throws Exception {
    String yaml = Configs.shop(redis.uri(), "metrics-" + UUID.randomUUID()).replace("methods:\n", "metrics:\n  port: 0\nmethods:\n");
    Path config = Configs.write(dir, "shop.yaml", yaml);
    try (AppProcess first = AppProcess.shop(config); AppProcess second = AppProcess.shop(config)) {
      String firstUrl = metricsUrl(first.awaitAgentReady(true).awaitLog("[cache-agent] metrics: http://127.0.0.1:"));
      String secondUrl = metricsUrl(second.awaitAgentReady(true).awaitLog("[cache-agent] metrics: http://127.0.0.1:"));

      assertThat(firstUrl).isNotEqualTo(secondUrl);
      for (String url : List.of(firstUrl, secondUrl)) {
        assertThat(HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
            .body()).contains("cache_agent_store_up 1\n");
      }
    }
  }

  /** The URL the agent logged for its endpoint. */
  private static String metricsUrl(AppProcess app) {
    Matcher url = Pattern.compile("\\[cache-agent\\] metrics: (http://127\\.0\\.0\\.1:[0-9]+/metrics)").matcher(app.log());
    assertThat(url.find()).as(app.log()).isTrue();
    return url.group(1);
  }

  private static Optional<InetAddress> nonLoopbackAddress() throws SocketException {
    return NetworkInterface.networkInterfaces()
        .filter(MetricsIT::isUpAndNotLoopback)
        .flatMap(NetworkInterface::inetAddresses)
        .filter(address -> address instanceof Inet4Address)
        .findFirst();
  }

  private static boolean isUpAndNotLoopback(NetworkInterface net) {
    try {
      return net.isUp() && !net.isLoopback();
    } catch (SocketException e) {
      return false;
    }
  }
}
