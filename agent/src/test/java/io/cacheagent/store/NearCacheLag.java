package io.cacheagent.store;

import io.cacheagent.config.AgentConfig;
import io.cacheagent.config.RedisSettings;
import io.cacheagent.testkit.RedisCluster;
import io.cacheagent.testkit.RedisServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Measures the near cache's invalidation lag (benchmarks/near-cache-lag.sh runs it): from a
 * write returning in one store (its SET confirmed) to another store, which had read the key,
 * being told it changed, as NearCaches hears of it. Two stores with their own Lettuce resources
 * and connections, in one JVM so that both read one clock, on a private redis-server, or with
 * {@code cluster} on a private Redis Cluster of three masters (broadcast tracking, see
 * ClusterTracking). Not a test: {@code main([writes] [cluster])}.
 */
final class NearCacheLag {

  private NearCacheLag() {}

  public static void main(String[] args) throws Exception {
    List<String> options = List.of(args);
    boolean onCluster = options.contains("cluster");
    int writes = options.stream().filter(arg -> arg.matches("\\d+")).map(Integer::parseInt).findFirst().orElse(20_000);
    if (onCluster) {
      try (RedisCluster cluster = RedisCluster.start(3, 0)) {
        measure(writes, new RedisSettings(cluster.seeds().get(0), Duration.ofMillis(500), null, cluster.seeds(),
            RedisSettings.ReadFrom.MASTER), "a Redis Cluster of 3 masters");
      }
    } else {
      try (RedisServer server = RedisServer.start()) {
        measure(writes, new RedisSettings(server.uri(), Duration.ofMillis(500)), "one redis-server");
      }
    }
  }

  private static void measure(int writes, RedisSettings settings, String where) throws Exception {
    int warmUp = writes / 10;
    Map<String, CompletableFuture<Long>> told = new ConcurrentHashMap<>();
    RedisStore reader = new RedisStore(settings);
    RedisStore writer = new RedisStore(settings);
    try {
      reader.invalidations().start(key -> {
        long now = System.nanoTime();
        CompletableFuture<Long> waiting = told.get(key);
        if (waiting != null) {
          waiting.complete(now);
        }
      });
      awaitTracking(reader);
      Histogram lagNanos = new Histogram(3);
      int toldBeforeReturn = 0;
      byte[] value = "v".getBytes(StandardCharsets.UTF_8);
      for (int i = 0; i < warmUp + writes; i++) {
        String key = AgentConfig.DEFAULT_KEY_PREFIX + ":lag:" + i; // under the prefix broadcast tracking follows
        CompletableFuture<Long> tellingOf = new CompletableFuture<>();
        told.put(key, tellingOf);
        if (reader.get(key) == null) {
          throw new IllegalStateException("the reader could not read " + key);
        }
        writer.set(key, value).toCompletableFuture().join();
        long returned = System.nanoTime();
        long at = tellingOf.get(1, TimeUnit.SECONDS); // parked, not spinning: the machine's cores go to the stores
        if (i >= warmUp) {
          if (at <= returned) {
            toldBeforeReturn++;
          }
          lagNanos.recordValue(Math.max(0, at - returned));
        }
        told.remove(key);
      }
      System.out.printf("near-cache invalidation lag on %s, %d writes (after %d to warm up), from the writer's SET confirmed to the"
          + " reader told: p50 %.1f us, p90 %.1f us, p99 %.1f us, p99.9 %.1f us, max %.1f us; %.1f%% told before the write"
          + " returned (counted as 0)%n", where, writes, warmUp, lagNanos.getValueAtPercentile(50) / 1e3,
          lagNanos.getValueAtPercentile(90) / 1e3, lagNanos.getValueAtPercentile(99) / 1e3,
          lagNanos.getValueAtPercentile(99.9) / 1e3, lagNanos.getMaxValue() / 1e3, 100.0 * toldBeforeReturn / writes);
    } finally {
      reader.close();
      writer.close();
    }
  }

  private static void awaitTracking(RedisStore store) throws InterruptedException {
    for (int i = 0; i < 500 && store.invalidations().epoch(System.nanoTime()) < 0; i++) {
      Thread.sleep(20);
    }
    if (store.invalidations().epoch(System.nanoTime()) < 0) {
      throw new IllegalStateException("tracking was not on within 10 s");
    }
  }
}
