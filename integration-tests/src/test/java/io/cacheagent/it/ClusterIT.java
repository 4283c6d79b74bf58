package io.cacheagent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.cacheagent.testkit.RedisCluster;
import io.cacheagent.testkit.RedisServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fixture shop on a real Redis Cluster: three masters and three replicas, six redis-server
 * processes on loopback, created with {@code redis-cli --cluster create}.
 */
class ClusterIT {

  private static RedisCluster cluster;

  @TempDir
  Path dir;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = RedisCluster.start(3, 1);
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void entriesSpreadOverEveryMaster_andTwoJvmsHitAndEvictEachOthersEntries() throws Exception {
    String keyPrefix = "it-" + UUID.randomUUID();
    // Two seeds: the agent finds the other four nodes from them.
    Path config = Configs.write(dir, "cache-agent.yaml", Configs.shopOnCluster(cluster.seeds().subList(0, 2), keyPrefix));
    try (AppProcess a = AppProcess.shop(config); AppProcess b = AppProcess.shop(config)) {
      a.awaitAgentReady(true);
      b.awaitAgentReady(true);

      for (int id = 1; id <= 60; id++) {
        assertThat(a.call("price " + id)).isEqualTo(id * 1.5 + " queries=" + id);
      }
      for (int id = 1; id <= 60; id++) {
        assertThat(b.call("price " + id)).as(() -> diagnostics(a, b)).isEqualTo(id * 1.5 + " queries=0");
      }
      for (RedisServer master : cluster.masters()) {
        assertThat(keysOn(master, keyPrefix + ":*ProductRepository#priceOf(int):k2:*"))
            .as("entries of priceOf on the master on port " + master.port()).isNotEmpty();
      }

      // Evictions by key: B's writes evict the entries A reads, wherever their slots are.
      for (int id = 1; id <= 5; id++) {
        a.call("find " + id);
      }
      int queries = AppProcess.queriesIn(a.call("find 1"));
      assertThat(queries).as("find 1..5 cached").isEqualTo(65);
      for (int id = 1; id <= 5; id++) {
        assertThat(b.call("save " + id + " renamed")).startsWith("saved");
        assertThat(a.call("find " + id)).as("find " + id + " after B saved it").endsWith("queries=" + ++queries);
        assertThat(a.call("find " + id)).as("then cached again").endsWith("queries=" + queries);
      }

      // A drop of every entry: one new generation in every group's copy, on every master.
      assertThat(b.call("deleteAll")).startsWith("deleted");
      for (int id = 1; id <= 5; id++) {
        assertThat(a.call("find " + id)).as("find " + id + " after B dropped all").endsWith("queries=" + ++queries);
      }
      List<String> copies = new ArrayList<>();
      for (RedisServer master : cluster.masters()) {
        List<String> onMaster = keysOn(master, keyPrefix + ":*findById(long):#generation{*");
        assertThat(onMaster).as("generation copies on the master on port " + master.port()).isNotEmpty();
        copies.addAll(onMaster);
      }
      assertThat(copies).hasSize(32);
      assertThat(copies.stream().map(key -> get(key)).distinct()).as("one generation in every copy").hasSize(1);

      for (AppProcess app : List.of(a, b)) {
        assertThat(app.log()).doesNotContain("CROSSSLOT").doesNotContain("MOVED").doesNotContain("failed");
      }
    }
  }

  @Test
  void aNearCopy_endsWhenAnotherJvmWrites() throws Exception {
    String onCluster = Configs.shopOnCluster(cluster.seeds(), "it-" + UUID.randomUUID());
    NearCacheIT.aWriteInAnotherJvmEndsTheCopy(Configs.write(dir, "near.yaml", Configs.withNearCache(onCluster)));
  }

  @Test
  void aBatchReadsItsElementsFromEveryMaster_andAnotherJvmsWriteEvictsOneOfThem() throws Exception {
    String keyPrefix = "it-" + UUID.randomUUID();
    String onCluster = Configs.shopOnCluster(cluster.seeds(), keyPrefix) + """
          - method: com.acme.shop.ProductRepository#listByIds(java.util.List)
            batch: args[0]
            cacheNulls: true
            evictOn:
              - method: com.acme.shop.ProductRepository#save(com.acme.shop.Product)
                key: args[0].id
        """;
    Path config = Configs.write(dir, "batch.yaml", onCluster);
    try (AppProcess a = AppProcess.shop(config); AppProcess b = AppProcess.shop(config)) {
      a.awaitAgentReady(true);
      b.awaitAgentReady(true);
      // 40 ids (5 exist, the others cached as null) spread over the slot groups of every master.
      String ids = String.join(",", java.util.stream.LongStream.rangeClosed(1, 40).mapToObj(Long::toString).toList());
      assertThat(a.call("findByIds " + ids)).endsWith("queries=1");
      assertThat(b.call("findByIds " + ids)).as(() -> diagnostics(a, b)).endsWith("queries=0");
      for (RedisServer master : cluster.masters()) {
        assertThat(keysOn(master, keyPrefix + ":*listByIds(java.util.List):k2:*")).as("elements on the master on port " + master.port())
            .isNotEmpty();
      }

      // Each JVM has its own rows: B's save makes 7 in B's only, and evicts the null A cached for it.
      assertThat(b.call("save 7 renamed")).startsWith("saved");
      assertThat(a.call("findByIds 7,3,41")).as("A asks for the evicted id and the new one only")
          .isEqualTo("[null, Product{3,product-3,30}, null] asked=[7, 41] queries=2");
      for (AppProcess app : List.of(a, b)) {
        assertThat(app.log()).doesNotContain("CROSSSLOT").doesNotContain("internal error").doesNotContain("failed");
      }
    }
  }

  private static List<String> keysOn(RedisServer node, String pattern) throws Exception {
    String out = node.cli("--scan", "--pattern", pattern);
    return out.isEmpty() ? List.of() : Arrays.asList(out.split("\n"));
  }

  /** What a failed assertion shows: both JVMs' logs, and the keys on each master. */
  private static String diagnostics(AppProcess a, AppProcess b) {
    try {
      StringBuilder out = new StringBuilder("A:\n" + a.log() + "\nB:\n" + b.log());
      for (RedisServer master : cluster.masters()) {
        out.append("\n").append(master.port()).append(": ").append(keysOn(master, "*"));
      }
      return out.toString();
    } catch (Exception e) {
      return e.toString();
    }
  }

  private static String get(String key) {
    try {
      return cluster.cli("GET", key);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
