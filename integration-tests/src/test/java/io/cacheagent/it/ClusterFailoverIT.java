package io.cacheagent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.cacheagent.testkit.RedisCluster;
import io.cacheagent.testkit.RedisServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A failover on a real Redis Cluster (three masters, three replicas) that loses a write, as
 * asynchronous replication can: the master confirms an eviction its replica never gets, dies, and
 * the replica takes its slots over with the old entry. (A replica that is only slow would still
 * get the write: the test cuts its link instead.)
 */
class ClusterFailoverIT {

  /** Long enough for the JVM to read the new topology, the moved slots to settle, and their entries to be dropped. */
  private static final Duration CACHING_BACK_WITHIN = Duration.ofSeconds(45);

  @TempDir
  Path dir;

  @Test
  void anEvictionThePromotedReplicaNeverGot_isNotServedFromIt_andCachingResumes() throws Exception {
    try (RedisCluster cluster = RedisCluster.start(3, 1)) {
      String keyPrefix = "it-" + UUID.randomUUID();
      Path config = Configs.write(dir, "cache-agent.yaml", Configs.shopOnCluster(cluster.seeds(), keyPrefix));
      try (AppProcess app = AppProcess.shop(config)) {
        app.awaitAgentReady(true);
        String loaded = app.call("find 3");
        assertThat(app.call("find 3")).as("cached").isEqualTo(loaded);
        String pattern = keyPrefix + ":*findById(long):k2:*";
        RedisServer master = masterHolding(cluster, pattern);
        String entryKey = master.cli("--scan", "--pattern", pattern);
        String entry = master.cli("GET", entryKey);
        RedisServer replica = cluster.replicaOf(master);

        // The replica loses its link to the master and cannot make it again (the master now asks
        // for a password it does not know): the master alone confirms the eviction of save, and
        // dies before it could pass it on. The agent's open connections stay authenticated.
        master.cli("CONFIG", "SET", "requirepass", "cut-off");
        master.cli("-a", "cut-off", "--no-auth-warning", "CLIENT", "KILL", "TYPE", "replica");
        awaitReplicationDown(replica);
        assertThat(app.call("save 3 renamed")).startsWith("saved");
        master.stop();
        cluster.awaitMaster(replica, Duration.ofSeconds(30));
        assertThat(replica.cli("GET", entryKey)).as("the promoted replica holds the entry as before the eviction").isEqualTo(entry);

        long deadline = System.nanoTime() + CACHING_BACK_WITHIN.toNanos();
        boolean cachedAgain = false;
        while (!cachedAgain && System.nanoTime() < deadline) {
          String first = app.call("find 3");
          String second = app.call("find 3");
          assertThat(first).as(app::log).contains("renamed");
          assertThat(second).as(app::log).contains("renamed");
          cachedAgain = AppProcess.queriesIn(second) == AppProcess.queriesIn(first);
          Thread.sleep(200);
        }
        assertThat(cachedAgain).as(() -> "find 3 cached again after the failover:\n" + app.log()).isTrue();
        assertThat(app.log()).contains("hash slots have a new master").contains("they are cached again");
      }
    }
  }

  private static void awaitReplicationDown(RedisServer replica) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!replica.cli("INFO", "replication").contains("master_link_status:down")) {
      assertThat(System.nanoTime()).as("the replica's link to its master dropped").isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  /** The master that holds a key matching {@code pattern}. */
  private static RedisServer masterHolding(RedisCluster cluster, String pattern) throws Exception {
    for (RedisServer master : cluster.masters()) {
      if (!master.cli("--scan", "--pattern", pattern).isEmpty()) {
        return master;
      }
    }
    throw new AssertionError("no master holds " + pattern);
  }
}
