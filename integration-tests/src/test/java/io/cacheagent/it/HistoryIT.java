package io.cacheagent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.cacheagent.testkit.RedisCluster;
import io.cacheagent.testkit.RedisServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The history checker: JVMs with the agent read and write a shared PostgreSQL table at random,
 * with random delays, while Redis is killed and paused; no read may return a version older than
 * one a write had committed and returned before the read began.
 *
 * <p>{@code -Dhistory.seconds=N} sets how long the JVMs run (20 s by default; {@code
 * benchmarks/history.sh} runs it for minutes). {@code HISTORY_JDBC_URL} names another database.
 */
class HistoryIT {

  private static final int JVMS = 3;
  private static final int THREADS = 4;
  private static final int ACCOUNTS = 4;
  private static final String URL =
      System.getenv().getOrDefault("HISTORY_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

  @TempDir
  Path dir;

  /**
   * How long after another JVM's write returned a near copy may still be served, at worst: a copy
   * is served only while a PING sent less than the heartbeat (200 ms) plus the command timeout
   * (200 ms here) ago was answered, and Redis's message about the write comes before that answer.
   */
  private static final long NEAR_CACHE_BOUND_NANOS = 400_000_000L;
  private static final Pattern NEAR_HITS = Pattern.compile("Accounts#version\\(int\\): hits=\\d+ nearHits=(\\d+)");

  /** Something done to Redis while the JVMs run. */
  private interface Fault {
    void run() throws Exception;
  }

  /**
   * Where the JVMs keep their entries, as the {@code redis:} section's first line names it, and
   * the faults of a run: one at a quarter (a kill for 2 s; the server comes back empty), one at
   * the half (a pause of 1.5 s).
   */
  private record Target(String redisYaml, Fault kill, Fault pause) {
    static Target of(RedisServer redis) {
      return new Target("uri: " + redis.uri(), () -> killFor2s(redis), () -> pauseFor1500ms(redis));
    }

    /** A cluster: its first master killed, its second paused. */
    static Target of(RedisCluster cluster) throws Exception {
      List<RedisServer> masters = cluster.masters();
      return new Target("cluster: [" + String.join(", ", cluster.seeds()) + "]", () -> killFor2s(masters.get(0)),
          () -> pauseFor1500ms(masters.get(1)));
    }

    private static void killFor2s(RedisServer redis) throws Exception {
      redis.stop();
      Thread.sleep(2_000);
      redis.restart();
    }

    private static void pauseFor1500ms(RedisServer redis) throws Exception {
      redis.cli("CLIENT", "PAUSE", "1500", "ALL");
      Thread.sleep(1_500);
    }
  }

  @Test
  void noReadReturnsAVersionOlderThanAWriteThatReturnedBeforeItBegan() throws Exception {
    try (RedisServer redis = RedisServer.start()) {
      check(false, Target.of(redis));
    }
  }

  @Test
  void withANearCache_noReadReturnsAVersionOlderThanAWriteThatReturnedLongerThanItsBoundBeforeItBegan() throws Exception {
    try (RedisServer redis = RedisServer.start()) {
      check(true, Target.of(redis));
    }
  }

  @Test
  void onARedisCluster_withANearCache_noReadReturnsAVersionOlderThanAWriteThatReturnedLongerThanItsBound() throws Exception {
    try (RedisCluster cluster = RedisCluster.start(3, 0)) {
      check(true, Target.of(cluster));
    }
  }

  private void check(boolean nearCache, Target redis) throws Exception {
    long seconds = Long.getLong("history.seconds", 20);
    String table = "history_" + ProcessHandle.current().pid() + "_" + System.nanoTime() % 1_000_000;
    try (Connection db = DriverManager.getConnection(URL)) {
      try (Statement sql = db.createStatement()) {
        sql.execute("CREATE TABLE " + table + " (id int PRIMARY KEY, version bigint NOT NULL)");
        sql.execute("INSERT INTO " + table + " SELECT g, 0 FROM generate_series(0, " + (ACCOUNTS - 1) + ") g");
      }
      try {
        History history = run(redis, table, seconds, nearCache);
        History.Verdict verdict = history.check(nearCache ? NEAR_CACHE_BOUND_NANOS : 0);
        System.out.println("history checker on " + redis.redisYaml() + (nearCache ? " (near cache, " + history.nearHits()
            + " near hits)" : "") + ": "
            + JVMS + " JVMs x " + THREADS + " threads, " + seconds + " s, "
            + ACCOUNTS + " accounts, faults " + history.faults() + ": " + verdict);
        assertThat(verdict.reads()).as("reads checked").isGreaterThan(100);
        assertThat(verdict.writes()).as("writes checked").isGreaterThan(20);
        if (nearCache) {
          assertThat(history.nearHits()).as("reads served from near copies").isGreaterThan(100);
        }
        assertThat(verdict.stale()).as("stale reads outside the faults' windows: " + verdict.examples()).isEmpty();
      } finally {
        try (Statement sql = db.createStatement()) {
          sql.execute("DROP TABLE " + table);
        }
      }
    }
  }

  private History run(Target redis, String table, long seconds, boolean nearCache) throws Exception {
    Path config = Configs.write(dir, "history.yaml", """
        redis:
          %s
          keyPrefix: history-%d
          commandTimeout: 200ms
        methods:
          - method: com.acme.history.Accounts#version(int)
            ttl: 1m
            nearCache: %s
            evictOn:
              - method: com.acme.history.Accounts#bump(int)
                key: args[0]
        """.formatted(redis.redisYaml(), System.nanoTime(), nearCache));
    List<AppProcess> apps = new ArrayList<>();
    List<Path> files = new ArrayList<>();
    History history = new History();
    try {
      for (int i = 0; i < JVMS; i++) { // the first JVM only reads: it hears of writes from Redis alone
        Path file = dir.resolve("history-" + i + ".txt");
        files.add(file);
        apps.add(AppProcess.start(config, List.of(), AppProcess.appClassPath(), "com.acme.history.HistoryApp",
            List.of(URL, table, String.valueOf(seconds), String.valueOf(THREADS), String.valueOf(ACCOUNTS), file.toString(),
                i == 0 ? "reads-only" : "reads-and-writes")));
      }
      // The workload starts once every agent is connected: an eviction made before its JVM first
      // reached Redis is a missed eviction, which other JVMs may not see until it is made good
      // (see the README, "After a write returns"); StartupIT covers writes made at start.
      for (AppProcess app : apps) {
        app.awaitAgentReady(true);
      }
      for (AppProcess app : apps) {
        app.send("go");
      }
      long startNanos = System.nanoTime();
      sleepUntil(startNanos + seconds * 250_000_000L);
      history.faultBegins();
      redis.kill().run();
      history.faultEnds();
      sleepUntil(startNanos + seconds * 500_000_000L);
      history.faultBegins();
      redis.pause().run();
      history.faultEnds();
      for (AppProcess app : apps) {
        assertThat(app.nextLine(Duration.ofSeconds(seconds + 60))).startsWith("done");
      }
    } finally {
      for (AppProcess app : apps) {
        app.close();
      }
    }
    for (AppProcess app : apps) {
      Matcher nearHits = NEAR_HITS.matcher(app.log());
      if (nearHits.find()) {
        history.addNearHits(Long.parseLong(nearHits.group(1)));
      }
    }
    for (Path file : files) {
      history.read(Files.readAllLines(file));
    }
    return history;
  }

  private static void sleepUntil(long nanos) throws InterruptedException {
    long left = nanos - System.nanoTime();
    if (left > 0) {
      Thread.sleep(left / 1_000_000);
    }
  }
}
