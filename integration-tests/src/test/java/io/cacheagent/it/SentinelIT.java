package io.cacheagent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.cacheagent.testkit.RedisSentinel;
import io.cacheagent.testkit.RedisServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fixture shop on Redis Sentinel: a master, a replica and three sentinels, five redis-server
 * processes on loopback. The agent finds the master through the sentinels, and the new one after
 * a failover.
 */
class SentinelIT {

  /** Each test kills the master: each starts its own. */
  private RedisSentinel sentinel;

  @TempDir
  Path dir;

  @BeforeEach
  void startSentinel() throws Exception {
    sentinel = RedisSentinel.start();
  }

  @AfterEach
  void stopSentinel() throws Exception {
    if (sentinel != null) {
      sentinel.close();
    }
  }

  @Test
  void cachesAndEvictsThroughTheMaster_andCachingResumesOnTheReplicaTheSentinelsPromote() throws Exception {
    Path config = Configs.write(dir, "cache-agent.yaml", Configs.shop(sentinel.uri(), "it-" + UUID.randomUUID()));
    try (AppProcess app = AppProcess.shop(config)) {
      app.awaitAgentReady(true);
      assertThat(app.call("find 1")).isEqualTo("Product{1,product-1,10} queries=1");
      assertThat(app.call("find 1")).isEqualTo("Product{1,product-1,10} queries=1");
      assertThat(app.call("save 1 renamed")).isEqualTo("saved queries=2");
      assertThat(app.call("find 1")).isEqualTo("Product{1,renamed,1} queries=3");
      assertThat(app.call("find 1")).isEqualTo("Product{1,renamed,1} queries=3");

      RedisServer old = sentinel.master();
      old.stop();
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (sentinel.master().equals(old) && System.nanoTime() < deadline) {
        // Every answer is right whatever Redis does meanwhile.
        assertThat(app.call("find 1")).startsWith("Product{1,renamed,1}");
        Thread.sleep(100);
      }
      assertThat(sentinel.master()).as("the sentinels promoted the replica").isNotEqualTo(old);
      boolean caching = false;
      while (!caching && System.nanoTime() < deadline) {
        int before = AppProcess.queriesIn(app.call("find 3"));
        caching = AppProcess.queriesIn(app.call("find 3")) == before;
        assertThat(app.call("find 1")).startsWith("Product{1,renamed,1}");
        Thread.sleep(100);
      }
      assertThat(caching).as("caching resumed within 30 s of the master's death:\n" + app.log()).isTrue();
      assertThat(app.call("save 2 again")).startsWith("saved");
      int queries = AppProcess.queriesIn(app.call("find 2"));
      assertThat(app.call("find 2")).isEqualTo("Product{2,again,1} queries=" + queries);
    }
  }

  /**
   * A failover that loses a write, as asynchronous replication can: the master confirms an
   * eviction its replica never gets, dies, and the sentinels promote the replica with the old
   * entry. (A replica that is only slow would still get the write: the test cuts its link.)
   */
  @Test
  void anEvictionThePromotedReplicaNeverGot_isNotServedFromIt_andCachingResumes() throws Exception {
    String keyPrefix = "it-" + UUID.randomUUID();
    Path config = Configs.write(dir, "cache-agent.yaml", Configs.shop(sentinel.uri(), keyPrefix));
    try (AppProcess app = AppProcess.shop(config)) {
      app.awaitAgentReady(true);
      assertThat(app.call("find 3")).isEqualTo("Product{3,product-3,30} queries=1");
      assertThat(app.call("find 3")).isEqualTo("Product{3,product-3,30} queries=1");
      RedisServer master = sentinel.master();
      RedisServer replica = sentinel.servers().stream().filter(server -> !server.equals(master)).findFirst().orElseThrow();
      String entryKey = master.cli("--scan", "--pattern", keyPrefix + ":*findById(long):k2:*");
      String entry = master.cli("GET", entryKey);

      long replicated = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (!replica.cli("GET", entryKey).equals(entry)) {
        assertThat(System.nanoTime()).as("the replica got the entry").isLessThan(replicated);
        Thread.sleep(20);
      }
      // What the master confirms from now on, its replica never gets (see cutOffReplica).
      master.cutOffReplica(replica);
      assertThat(app.call("save 3 renamed")).startsWith("saved");
      master.stop();
      assertThat(replica.cli("GET", entryKey)).as("the replica holds the entry as before the eviction").isEqualTo(entry);

      long deadline = System.nanoTime() + Duration.ofSeconds(45).toNanos();
      while (!sentinel.master().equals(replica) && System.nanoTime() < deadline) {
        assertThat(app.call("find 3")).as(app::log).startsWith("Product{3,renamed,1}");
        Thread.sleep(100);
      }
      assertThat(sentinel.master()).as("the sentinels promoted the replica").isEqualTo(replica);
      boolean cachedAgain = app.awaitCachedAgain("find 3",
          answer -> assertThat(answer).as(app::log).startsWith("Product{3,renamed,1}"), Duration.ofSeconds(30));
      assertThat(cachedAgain).as(() -> "find 3 cached again after the failover:\n" + app.log()).isTrue();
      assertThat(app.log()).contains("reconnected to another server process than before").contains("dropped every entry after the failover or restart");
    }
  }
}
