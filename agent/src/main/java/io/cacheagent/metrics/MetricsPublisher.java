package io.cacheagent.metrics;

import com.sun.net.httpserver.HttpServer;
import io.cacheagent.config.MetricsSettings;
import io.cacheagent.logging.AgentLog;
import io.cacheagent.runtime.MethodSnapshot;
import io.cacheagent.runtime.MethodTable;
import io.cacheagent.store.CacheStore;
import io.cacheagent.threads.AgentThreads;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Publishes what {@code metrics} asks for: the Prometheus endpoint ({@code GET /metrics} on {@code
 * metrics.host}, loopback by default, and {@code metrics.port}) and the summary line in the log
 * ({@code metrics.statsInterval}). Both run on daemon threads of their own; nothing is served unless
 * configured. The endpoint answers {@code GET /metrics} only: any other path is 404, any other
 * method 405, so that it offers nothing to probe.
 */
public final class MetricsPublisher {

  private MetricsPublisher() {}

  /** Starts what {@code settings} asks for; returns the endpoint's URL, or {@code null} when none is served. */
  public static String start(MetricsSettings settings, MethodTable table, CacheStore store) {
    String url = settings.servesEndpoint() ? serve(settings.host(), settings.port(), table, store) : null;
    if (settings.statsInterval() != null) {
      ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task -> AgentThreads.daemon("stats", task));
      long millis = settings.statsInterval().toMillis();
      timer.scheduleAtFixedRate(() -> AgentLog.info(summary(table.snapshots(store), store)), millis, millis, TimeUnit.MILLISECONDS);
    }
    return url;
  }

  /** Serves the endpoint; returns its URL (with the port chosen where {@code port} is 0), or {@code null}. */
  private static String serve(String host, int port, MethodTable table, CacheStore store) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
      server.setExecutor(Executors.newSingleThreadExecutor(task -> AgentThreads.daemon("metrics", task)));
      server.createContext("/", exchange -> {
        // HttpExchange is AutoCloseable only from Java 17 on.
        try {
          if (!"/metrics".equals(exchange.getRequestURI().getPath())) {
            exchange.sendResponseHeaders(404, -1);
          } else if (!"GET".equals(exchange.getRequestMethod())) {
            exchange.getResponseHeaders().set("Allow", "GET");
            exchange.sendResponseHeaders(405, -1);
          } else {
            byte[] body = PrometheusText.render(table.snapshots(store), store).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            }
          }
        } finally {
          exchange.close();
        }
      });
      server.start();
      String url = "http://" + hostForUrl(host) + ":" + server.getAddress().getPort() + "/metrics";
      AgentLog.info("metrics: " + url);
      return url;
    } catch (IOException | RuntimeException e) {
      AgentLog.warn("metrics-port", "cannot serve metrics on " + host + " port " + port + " (" + e + "); the cache works without them"
          + (port == 0 ? "" : "; with several JVMs on one host and one file, use metrics.port: 0 (any free port, logged and shown by stats)"));
      return null;
    }
  }

  /** An IPv6 address goes in brackets in a URL. */
  private static String hostForUrl(String host) {
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }

  /** One line over all cached methods, e.g. {@code stats: 3 cached methods, 1520 calls: 1387 hits (1200 near), ...}. */
  static String summary(List<MethodSnapshot> methods, CacheStore store) {
    long hits = 0;
    long nearHits = 0;
    long misses = 0;
    long coalesced = 0;
    long uncached = 0;
    long managed = 0;
    long off = 0;
    long errors = 0;
    long calls = 0;
    for (MethodSnapshot m : methods) {
      hits += m.hits();
      nearHits += m.nearHits();
      misses += m.misses();
      coalesced += m.coalesced();
      uncached += m.uncached();
      managed += m.managed();
      off += m.off();
      errors += m.errors();
      calls += m.calls();
    }
    return String.format(Locale.ROOT, "stats: %d cached method%s, %d calls: %d hits (%d near), %d misses, %d coalesced,"
            + " %d uncached, %d managed, %d off; hit ratio %.1f%%; %d entry errors; store %s", methods.size(), methods.size() == 1 ? "" : "s",
        calls, hits, nearHits, misses, coalesced, uncached, managed, off, 100 * MethodSnapshot.hitRatio(methods), errors, store.state());
  }
}
