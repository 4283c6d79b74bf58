package io.cacheagent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.cacheagent.testkit.RedisServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fixture shop with the agent while its own Redis fails: killed, restarted, paused, out of
 * memory. Every answer must be the one the app gives without the agent, and caching must come back.
 */
class ReliabilityIT {

  @TempDir
  Path dir;

  @Test
  void redisKilledAndRestarted_answersStayRight_andCachingResumes() throws Exception {
    try (RedisServer own = RedisServer.start(); AppProcess app = shopOn(own, "500ms")) {
      assertThat(app.call("find 1")).isEqualTo("Product{1,product-1,10} queries=1");
      assertThat(app.call("find 1")).isEqualTo("Product{1,product-1,10} queries=1");

      own.stop();
      assertThat(app.call("find 1")).isEqualTo("Product{1,product-1,10} queries=2");
      assertThat(app.call("save 1 during-outage")).isEqualTo("saved queries=3");
      assertThat(app.call("find 1")).isEqualTo("Product{1,during-outage,1} queries=4");

      own.restart(); // empty: nothing was saved
      awaitCachingResumes(app, "find 1", "Product{1,during-outage,1}");
      assertThat(app.log()).containsOnlyOnce("lost the connection to " + own.uri());
    }
  }

  @Test
  void evictionWhileRedisIsAway_isNotLost_everyEntryOfTheMethodIsDroppedWhenItReturns() throws Exception {
    try (RedisServer own = RedisServer.start(); AppProcess app = shopOn(own, "500ms")) {
      app.call("find 1");
      app.call("find 2");
      assertThat(app.call("find 1")).isEqualTo("Product{1,product-1,10} queries=2");

      own.shutdownSaving(); // an operator's restart: the entries of 1 and 2 survive on disk
      assertThat(app.call("save 1 renamed")).isEqualTo("saved queries=3"); // its eviction cannot be written
      // The eviction is sent without waiting: its failure is reported when the store answers, a moment after save returned.
      app.awaitLog("an eviction from com.acme.shop.ProductRepository#findById(long) was not written");
      own.restart();

      awaitCachingResumes(app, "find 1", "Product{1,renamed,1}");
      assertThat(app.log()).contains("dropped every entry of com.acme.shop.ProductRepository#findById(long) after a missed eviction");
      int before = AppProcess.queriesIn(app.call("queries"));
      assertThat(app.call("find 2")).as("entry 2 was dropped too").isEqualTo("Product{2,product-2,20} queries=" + (before + 1));
      assertThat(app.call("find 2")).isEqualTo("Product{2,product-2,20} queries=" + (before + 1));
    }
  }

  /**
   * A crash after a snapshot: Redis comes back with what the snapshot holds, without an eviction
   * it confirmed after it. Nothing was missed as far as the agent could tell; the server's new
   * run_id tells it the data may be older than its writes.
   */
  @Test
  void redisRestartedFromAnOlderSnapshot_anEvictionItHadConfirmedIsNotLost() throws Exception {
    try (RedisServer own = RedisServer.start(); AppProcess app = shopOn(own, "500ms")) {
      app.call("find 1");
      assertThat(app.call("find 1")).isEqualTo("Product{1,product-1,10} queries=1");
      own.cli("SAVE"); // a snapshot with the entry of 1
      assertThat(app.call("save 1 renamed")).isEqualTo("saved queries=2"); // its eviction confirmed, after the snapshot
      own.stop(); // a crash: the snapshot is what survives
      own.restart();

      awaitCachingResumes(app, "find 1", "Product{1,renamed,1}");
      assertThat(app.log()).contains("reconnected to another server process than before");
    }
  }

  @Test
  void redisOutOfMemory_writesStillEvict_andCachingResumesWhenMemoryIsFreed() throws Exception {
    try (RedisServer own = RedisServer.start(List.of("--maxmemory", "2mb", "--maxmemory-policy", "noeviction"));
        AppProcess app = shopOn(own, "500ms")) {
      app.call("find 1");
      assertThat(app.call("find 1")).isEqualTo("Product{1,product-1,10} queries=1");

      own.cli("DEBUG", "POPULATE", "100000", "ballast", "100"); // ~18 MB: every write is refused with OOM
      assertThat(app.call("save 1 renamed")).isEqualTo("saved queries=2");
      assertThat(app.call("find 1")).as("the stale entry is not served").isEqualTo("Product{1,renamed,1} queries=3");
      assertThat(app.call("find 1")).isEqualTo("Product{1,renamed,1} queries=4");

      own.cli("CONFIG", "SET", "maxmemory", "0");
      awaitCachingResumes(app, "find 1", "Product{1,renamed,1}");
    }
  }

  @Test
  void redisPaused_everyCallAnswersWithinTheTimeout_andOneWarningPerIncident() throws Exception {
    try (RedisServer own = RedisServer.start(); AppProcess app = shopOn(own, "200ms")) {
      app.call("find 1");
      assertThat(app.call("find 1")).isEqualTo("Product{1,product-1,10} queries=1");

      own.cli("CLIENT", "PAUSE", "4000", "ALL"); // Redis holds every command for 4 s, as a hung server does
      long started = System.nanoTime();
      for (int i = 0; i < 10; i++) {
        long callStarted = System.nanoTime();
        assertThat(app.call("find 1")).isEqualTo("Product{1,product-1,10} queries=" + (i + 2));
        // Behaviour, not speed: a call waits for the 200 ms timeout at most, never for the 4 s pause.
        assertThat((System.nanoTime() - callStarted) / 1_000_000).as("call %d, ms", i).isLessThan(2_000);
      }
      assertThat((System.nanoTime() - started) / 1_000_000).as("the pause outlasted the calls").isLessThan(4_000);

      awaitCachingResumes(app, "find 1", "Product{1,product-1,10}");
      app.awaitLog("answers again; caching resumes"); // standard error is read on its own thread: the line may trail the answer
      assertThat(app.log())
          .containsOnlyOnce("redis did not answer within 200ms; calls run uncached meanwhile")
          .containsOnlyOnce("failed 3 reads in a row")
          .containsOnlyOnce("answers again; caching resumes");
    }
  }

  private AppProcess shopOn(RedisServer redis, String commandTimeout) throws Exception {
    Path config = Configs.write(dir, "own.yaml", Configs.shop(redis.uri(), "reliability", commandTimeout));
    AppProcess app = AppProcess.shop(config);
    app.awaitAgentReady(true);
    return app;
  }

  /** Calls {@code command} until two calls in a row run no query, each answering {@code answer}. */
  private static void awaitCachingResumes(AppProcess app, String command, String answer) throws Exception {
    boolean cached = app.awaitCachedAgain(command, reply -> assertThat(reply).startsWith(answer + " queries="), Duration.ofSeconds(30));
    assertThat(cached).as(() -> "caching resumed within 30 s; log:\n" + app.log()).isTrue();
  }
}
