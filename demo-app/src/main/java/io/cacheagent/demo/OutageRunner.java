package io.cacheagent.demo;

import io.cacheagent.testkit.RedisCluster;
import io.cacheagent.testkit.RedisSentinel;
import io.cacheagent.testkit.RedisServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The catalog service with the agent under the demo's load while Redis fails in the middle:
 * killed and started again (empty), or paused; or, on a Redis Cluster, one master killed, its
 * replica promoted, and the old master started again later (it rejoins as a replica). Prints each
 * second and a summary: requests made, requests failed, stale reads, latency before, during and
 * after the outage, and how long after Redis returned (on a cluster: after the kill) the cache
 * served again. Started by {@code benchmarks/redis-outage.sh}; every option has a default:
 *
 * <pre>
 *   --agent PATH      agent/target/cache-agent.jar
 *   --config PATH     config/demo.yaml
 *   --classpath CP    the service's class path (default: this jar)
 *   --clients N       concurrent clients (default 16)
 *   --think MS        pause of each client between requests (default 50)
 *   --warmup S        seconds of unrecorded load before (default 10)
 *   --seconds S       seconds of recorded load (default 30)
 *   --down-at S       second of the recorded load at which Redis fails (default 10)
 *   --down-for S      how long it stays away (default 10)
 *   --fault F         kill (SIGKILL, then a fresh empty server on the same port) or pause
 *                     (CLIENT PAUSE: Redis holds every command, as when it hangs) (default kill)
 *   --topology T      server (one redis-server), cluster (3 masters, 3 replicas; the fault
 *                     kills the master of the most keys with SIGKILL, and starts it again
 *                     --down-for seconds later) or sentinel (a master, a replica, 3 sentinels;
 *                     the fault kills the master, and starts it again later) (default server)
 *   --out DIR         where outage-report.json goes (default demo-app/target)
 * </pre>
 */
public final class OutageRunner {

  private OutageRunner() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = DemoRunner.options(args);
    Path agent = Path.of(options.getOrDefault("agent", "agent/target/cache-agent.jar"));
    Path config = Path.of(options.getOrDefault("config", "config/demo.yaml"));
    Path classpath = Path.of(options.getOrDefault("classpath",
        Path.of(OutageRunner.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString()));
    int clients = Integer.parseInt(options.getOrDefault("clients", "16"));
    long think = Long.parseLong(options.getOrDefault("think", "50"));
    Duration warmup = Duration.ofSeconds(Long.parseLong(options.getOrDefault("warmup", "10")));
    int seconds = Integer.parseInt(options.getOrDefault("seconds", "30"));
    int downAt = Integer.parseInt(options.getOrDefault("down-at", "10"));
    int downFor = Integer.parseInt(options.getOrDefault("down-for", "10"));
    String fault = options.getOrDefault("fault", "kill");
    Path out = Path.of(options.getOrDefault("out", "demo-app/target"));
    String topology = options.getOrDefault("topology", "server");
    if (!fault.equals("kill") && !fault.equals("pause")) {
      throw new IllegalArgumentException("--fault must be kill or pause, not " + fault);
    }
    if (!List.of("server", "cluster", "sentinel").contains(topology) || !topology.equals("server") && !fault.equals("kill")) {
      throw new IllegalArgumentException("--topology must be server, or cluster or sentinel (with --fault kill), not " + topology);
    }
    int upAt = downAt + downFor;

    try (FailingRedis redis = topology.equals("cluster") ? new FailingCluster()
        : topology.equals("sentinel") ? new FailingSentinel() : new FailingServer(fault)) {
      String conditions = String.format(Locale.ROOT, "%d clients with %d ms think time, %ds warm-up + %ds measured; %s at second %d"
              + " for %d s; %d cores, Java %s", clients, think, warmup.toSeconds(), seconds, redis.describe(), downAt, downFor,
          Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
      System.out.println("cache-agent outage run: " + conditions);
      Map<String, String> env = new HashMap<>();
      env.put("CACHE_AGENT_KEY_PREFIX", "outage-" + System.currentTimeMillis());
      Path runConfig = redis.configure(config, env);
      try (ServiceProcess service = ServiceProcess.start(classpath, agent, runConfig, env)) {
        LoadDriver load = new LoadDriver(service.baseUrl(), clients, think);
        int[] resumedAt = {-1};
        Timeline timeline = load.runTimeline(warmup, Duration.ofSeconds(seconds), second -> {
          if (second == downAt) {
            redis.fail(downFor);
          } else if (second == upAt) {
            redis.restore();
          }
          if (second > upAt && resumedAt[0] < 0 && service.output().contains("answers again; caching resumes")) {
            resumedAt[0] = second;
          }
        });
        // One server: caching can only resume once it is back. A cluster or the sentinels promote a replica by themselves.
        int resumeFrom = redis.healsItself() ? downAt : upAt;
        report(timeline, downAt, upAt, resumeFrom, resumedAt[0], conditions, out);
        System.out.println("the agent's log during the run:");
        service.output().lines().filter(line -> line.startsWith("[cache-agent]")).forEach(line -> System.out.println("  " + line));
      }
    }
  }

  private static void report(Timeline timeline, int downAt, int upAt, int resumeFrom, int logSaidResumedBy, String conditions,
      Path out) throws IOException {
    System.out.println();
    System.out.println("second   reads   p50 ms   p99 ms   db reads   hit ratio");
    for (Timeline.Second s : timeline.seconds()) {
      String mark = s.second() > downAt && s.second() <= upAt ? "  redis away" : "";
      System.out.printf(Locale.ROOT, "%6d  %6d  %7.1f  %7.1f  %9d   %8.1f%%%s%n", s.second(), s.reads(), s.p50Millis(),
          s.p99Millis(), s.dbReads(), 100 * s.hitRatio(), mark);
    }
    int last = timeline.seconds().size();
    int resumed = resumedSecond(timeline, downAt, resumeFrom);
    System.out.println();
    System.out.printf(Locale.ROOT, "requests: %d reads and writes; failed: %d; stale reads: %d%n",
        timeline.requests(), timeline.failures(), timeline.staleReads());
    printPhase(timeline, "before the outage", 0, downAt);
    printPhase(timeline, "during the outage", downAt, upAt);
    printPhase(timeline, "after the outage", upAt, last);
    System.out.println(resumed < 0 ? "caching did not resume within the run"
        : "caching resumed within " + (resumed - resumeFrom) + " s of " + (resumeFrom == upAt ? "Redis returning" : "the master's death")
            + " (first second from which the hit ratio stays at half the one before the outage or more)" + (logSaidResumedBy > 0 ? "; the agent's log said so by second " + logSaidResumedBy : ""));
    Files.createDirectories(out);
    Path json = out.resolve("outage-report.json");
    Files.writeString(json, String.format(Locale.ROOT, "{\"conditions\": \"%s\", \"requests\": %d, \"failed\": %d, \"staleReads\": %d,"
            + " \"p99BeforeMillis\": %.2f, \"p99DuringMillis\": %.2f, \"maxDuringMillis\": %.2f, \"hitRatioBefore\": %.4f,"
            + " \"hitRatioDuring\": %.4f, \"hitRatioAfter\": %.4f, \"secondsToResume\": %d}%n",
        conditions.replace("\"", "'"), timeline.requests(), timeline.failures(), timeline.staleReads(),
        timeline.percentileMillis(0, downAt, 99), timeline.percentileMillis(downAt, upAt, 99), timeline.maxMillis(downAt, upAt),
        timeline.hitRatio(0, downAt), timeline.hitRatio(downAt, upAt), timeline.hitRatio(upAt, last),
        resumed < 0 ? -1 : resumed - resumeFrom));
    System.out.println("report: " + json);
  }

  private static void printPhase(Timeline timeline, String name, int from, int to) {
    System.out.printf(Locale.ROOT, "%-18s (s %d-%d): p50 %.1f ms, p99 %.1f ms, max %.1f ms, hit ratio %.1f%%%n", name, from + 1, to,
        timeline.percentileMillis(from, to, 50), timeline.percentileMillis(from, to, 99), timeline.maxMillis(from, to),
        100 * timeline.hitRatio(from, to));
  }

  /**
   * The first second after {@code from} from which on the hit ratio stays at least half the one
   * before the outage, to the end of the run; -1 if none. (A cluster keeps caching for a moment
   * after a master's death, until the reads of its slots fail; that moment is not a resumption.)
   */
  private static int resumedSecond(Timeline timeline, int downAt, int from) {
    double before = timeline.hitRatio(0, downAt);
    int resumed = -1;
    for (Timeline.Second s : timeline.seconds()) {
      if (s.second() <= from) {
        continue;
      }
      if (s.hitRatio() < before / 2) {
        resumed = -1;
      } else if (resumed < 0) {
        resumed = s.second();
      }
    }
    return resumed;
  }

  /** The Redis of this run, which it fails and restores. */
  private interface FailingRedis extends AutoCloseable {
    String describe();

    /** The configuration the service runs with: {@code config}, pointed at this Redis (in the file or in {@code env}). */
    Path configure(Path config, Map<String, String> env) throws IOException;

    void fail(int seconds) throws IOException, InterruptedException;

    void restore() throws IOException, InterruptedException;

    /** Whether it serves again before {@link #restore} (a cluster promotes a replica). */
    boolean healsItself();

    @Override
    void close() throws InterruptedException;
  }

  /** A redis-server of this run's own on a free port, killed and started again (empty), or paused. */
  private static final class FailingServer implements FailingRedis {
    private final String fault;
    private final RedisServer server;

    FailingServer(String fault) throws IOException, InterruptedException {
      this.fault = fault;
      this.server = RedisServer.start();
    }

    @Override
    public String describe() {
      return fault.equals("kill") ? "Redis killed (SIGKILL) and started empty again" : "Redis paused (CLIENT PAUSE ALL)";
    }

    @Override
    public Path configure(Path config, Map<String, String> env) {
      env.put("CACHE_AGENT_REDIS_URI", server.uri());
      return config;
    }

    @Override
    public void fail(int seconds) throws IOException, InterruptedException {
      if (fault.equals("kill")) {
        server.stop();
      } else {
        server.cli("CLIENT", "PAUSE", String.valueOf(seconds * 1000L), "ALL");
      }
    }

    @Override
    public void restore() throws IOException, InterruptedException {
      if (fault.equals("kill")) {
        server.restart();
      }
    }

    @Override
    public boolean healsItself() {
      return false;
    }

    @Override
    public void close() throws InterruptedException {
      server.close();
    }
  }

  /** A master, a replica and 3 sentinels; the master is killed, and started again later. */
  private static final class FailingSentinel implements FailingRedis {
    private final RedisSentinel sentinel;
    private RedisServer killed;

    FailingSentinel() throws IOException, InterruptedException {
      this.sentinel = RedisSentinel.start();
    }

    @Override
    public String describe() {
      return "Redis Sentinel (a master, a replica, 3 sentinels, down-after " + RedisSentinel.DOWN_AFTER.toMillis()
          + " ms): the master killed (SIGKILL), started again";
    }

    @Override
    public Path configure(Path config, Map<String, String> env) {
      env.put("CACHE_AGENT_REDIS_URI", sentinel.uri());
      return config;
    }

    @Override
    public void fail(int seconds) throws IOException, InterruptedException {
      killed = sentinel.master();
      killed.stop();
    }

    @Override
    public void restore() throws IOException, InterruptedException {
      if (killed != null) {
        killed.restart(); // the sentinels make it a replica of the master they promoted
      }
    }

    @Override
    public boolean healsItself() {
      return true;
    }

    @Override
    public void close() throws InterruptedException {
      sentinel.close();
    }
  }

  /** A Redis Cluster of 3 masters with a replica each; one master is killed, and started again later. */
  private static final class FailingCluster implements FailingRedis {
    private final RedisCluster cluster;
    private RedisServer killed;

    FailingCluster() throws IOException, InterruptedException {
      this.cluster = RedisCluster.start(3, 1);
    }

    @Override
    public String describe() {
      return "Redis Cluster (3 masters, 3 replicas, cluster-node-timeout " + RedisCluster.NODE_TIMEOUT.toMillis()
          + " ms): the master of the most keys killed (SIGKILL), started again";
    }

    @Override
    public Path configure(Path config, Map<String, String> env) throws IOException {
      Path onCluster = Files.createTempFile("cache-agent-cluster-", ".yaml");
      onCluster.toFile().deleteOnExit();
      Files.writeString(onCluster, "redis:\n  cluster: [" + String.join(", ", cluster.seeds()) + "]\n" + Files.readString(config));
      return onCluster;
    }

    @Override
    public void fail(int seconds) throws IOException, InterruptedException {
      RedisServer most = null;
      long mostKeys = -1;
      for (RedisServer master : cluster.masters()) {
        long keys = Long.parseLong(master.cli("DBSIZE"));
        if (keys > mostKeys) {
          most = master;
          mostKeys = keys;
        }
      }
      killed = most;
      killed.stop();
    }

    @Override
    public void restore() throws IOException, InterruptedException {
      if (killed != null) {
        killed.restart(); // its nodes.conf makes it rejoin, as a replica of the master that took over
      }
    }

    @Override
    public boolean healsItself() {
      return true;
    }

    @Override
    public void close() throws InterruptedException {
      cluster.close();
    }
  }
}
