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

        // What the master confirms from now on, its replica never gets (see cutOffReplica): the
        // eviction of save, before the master dies.
        master.cutOffReplica(replica);
        assertThat(app.call("save 3 renamed")).startsWith("saved");
        master.stop();
        cluster.awaitMaster(replica, Duration.ofSeconds(30));
        assertThat(replica.cli("GET", entryKey)).as("the promoted replica holds the entry as before the eviction").isEqualTo(entry);

        boolean cachedAgain = app.awaitCachedAgain("find 3",
            answer -> assertThat(answer).as(app::log).contains("renamed"), CACHING_BACK_WITHIN);
        assertThat(cachedAgain).as(() -> "find 3 cached again after the failover:\n" + app.log()).isTrue();
        assertThat(app.log()).contains("hash slots have a new master").contains("they are cached again");
      }
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
