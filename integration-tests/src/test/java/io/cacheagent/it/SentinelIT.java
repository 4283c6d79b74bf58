package io.cacheagent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.cacheagent.testkit.RedisSentinel;
import io.cacheagent.testkit.RedisServer;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fixture shop on Redis Sentinel: a master, a replica and three sentinels, five redis-server
 * processes on loopback. The agent finds the master through the sentinels, and the new one after
 * a failover.
 */
class SentinelIT {

  private static RedisSentinel sentinel;

  @TempDir
  Path dir;

  @BeforeAll
  static void startSentinel() throws Exception {
    sentinel = RedisSentinel.start();
  }

  @AfterAll
  static void stopSentinel() throws Exception {
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
}
