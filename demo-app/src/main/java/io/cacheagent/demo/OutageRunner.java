package io.cacheagent.demo;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The catalog service with the agent under the demo's load while Redis fails in the middle:
 * killed and started again (empty), or paused. Prints each second and a summary: requests made,
 * requests failed, latency before, during and after the outage, and how long after Redis returned
 * the cache served again. Started by {@code benchmarks/redis-outage.sh}; every option has a default:
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
    if (!fault.equals("kill") && !fault.equals("pause")) {
      throw new IllegalArgumentException("--fault must be kill or pause, not " + fault);
    }
    int upAt = downAt + downFor;

    try (LocalRedis redis = LocalRedis.start()) {
      String conditions = String.format(Locale.ROOT, "%d clients with %d ms think time, %ds warm-up + %ds measured; Redis %s at second %d"
              + " for %d s; %d cores, Java %s", clients, think, warmup.toSeconds(), seconds,
          fault.equals("kill") ? "killed (SIGKILL) and started empty again" : "paused (CLIENT PAUSE ALL)", downAt, downFor,
          Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
      System.out.println("cache-agent outage run: " + conditions);
      Map<String, String> env = new HashMap<>();
      env.put("CACHE_AGENT_REDIS_URI", redis.uri());
      env.put("CACHE_AGENT_KEY_PREFIX", "outage-" + System.currentTimeMillis());
      try (ServiceProcess service = ServiceProcess.start(classpath, agent, config, env)) {
        LoadDriver load = new LoadDriver(service.baseUrl(), clients, think);
        int[] resumedAt = {-1};
        Timeline timeline = load.runTimeline(warmup, Duration.ofSeconds(seconds), second -> {
          if (second == downAt) {
            redis.fail(fault, downFor);
          } else if (second == upAt && fault.equals("kill")) {
            redis.restart();
          }
          if (second > upAt && resumedAt[0] < 0 && service.output().contains("answers again; caching resumes")) {
            resumedAt[0] = second;
          }
        });
        report(timeline, downAt, upAt, resumedAt[0], conditions, out);
        System.out.println("the agent's log during the run:");
        service.output().lines().filter(line -> line.startsWith("[cache-agent]")).forEach(line -> System.out.println("  " + line));
      }
    }
  }

  private static void report(Timeline timeline, int downAt, int upAt, int logSaidResumedBy, String conditions, Path out)
      throws IOException {
    System.out.println();
    System.out.println("second   reads   p50 ms   p99 ms   db reads   hit ratio");
    for (Timeline.Second s : timeline.seconds()) {
      String mark = s.second() > downAt && s.second() <= upAt ? "  redis away" : "";
      System.out.printf(Locale.ROOT, "%6d  %6d  %7.1f  %7.1f  %9d   %8.1f%%%s%n", s.second(), s.reads(), s.p50Millis(),
          s.p99Millis(), s.dbReads(), 100 * s.hitRatio(), mark);
    }
    int last = timeline.seconds().size();
    int resumed = resumedSecond(timeline, downAt, upAt);
    System.out.println();
    System.out.printf(Locale.ROOT, "requests: %d reads and writes; failed: %d; stale reads: %d%n",
        timeline.requests(), timeline.failures(), timeline.staleReads());
    printPhase(timeline, "before the outage", 0, downAt);
    printPhase(timeline, "during the outage", downAt, upAt);
    printPhase(timeline, "after the outage", upAt, last);
    System.out.println(resumed < 0 ? "caching did not resume within the run"
        : "caching resumed within " + (resumed - upAt) + " s of Redis returning (first second with a hit ratio of half the"
            + " one before the outage)" + (logSaidResumedBy > 0 ? "; the agent's log said so by second " + logSaidResumedBy : ""));
    Files.createDirectories(out);
    Path json = out.resolve("outage-report.json");
    Files.writeString(json, String.format(Locale.ROOT, "{\"conditions\": \"%s\", \"requests\": %d, \"failed\": %d, \"staleReads\": %d,"
            + " \"p99BeforeMillis\": %.2f, \"p99DuringMillis\": %.2f, \"maxDuringMillis\": %.2f, \"hitRatioBefore\": %.4f,"
            + " \"hitRatioDuring\": %.4f, \"hitRatioAfter\": %.4f, \"secondsToResume\": %d}%n",
        conditions.replace("\"", "'"), timeline.requests(), timeline.failures(), timeline.staleReads(),
        timeline.percentileMillis(0, downAt, 99), timeline.percentileMillis(downAt, upAt, 99), timeline.maxMillis(downAt, upAt),
        timeline.hitRatio(0, downAt), timeline.hitRatio(downAt, upAt), timeline.hitRatio(upAt, last),
        resumed < 0 ? -1 : resumed - upAt));
    System.out.println("report: " + json);
  }

  private static void printPhase(Timeline timeline, String name, int from, int to) {
    System.out.printf(Locale.ROOT, "%-18s (s %d-%d): p50 %.1f ms, p99 %.1f ms, max %.1f ms, hit ratio %.1f%%%n", name, from + 1, to,
        timeline.percentileMillis(from, to, 50), timeline.percentileMillis(from, to, 99), timeline.maxMillis(from, to),
        100 * timeline.hitRatio(from, to));
  }

  /** The first second after Redis returned whose hit ratio is at least half the one before the outage; -1 if none. */
  private static int resumedSecond(Timeline timeline, int downAt, int upAt) {
    double before = timeline.hitRatio(0, downAt);
    for (Timeline.Second s : timeline.seconds()) {
      if (s.second() > upAt && s.hitRatio() >= before / 2) {
        return s.second();
      }
    }
    return -1;
  }

  /** A redis-server of this run's own on a free port, which it kills, restarts or pauses. */
  private static final class LocalRedis implements AutoCloseable {

    private final int port;
    private Process process;

    private LocalRedis(int port) {
      this.port = port;
    }

    static LocalRedis start() throws IOException, InterruptedException {
      int port;
      try (ServerSocket socket = new ServerSocket(0)) {
        port = socket.getLocalPort();
      }
      LocalRedis redis = new LocalRedis(port);
      redis.restart();
      return redis;
    }

    String uri() {
      return "redis://127.0.0.1:" + port + "/0";
    }

    void restart() throws IOException, InterruptedException {
      process = new ProcessBuilder(binary("redis-server"), "--port", String.valueOf(port), "--bind", "127.0.0.1",
          "--save", "", "--appendonly", "no").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      for (int i = 0; i < 100 && !cli("PING").equals("PONG"); i++) {
        Thread.sleep(50);
      }
    }

    void fail(String fault, int seconds) throws IOException, InterruptedException {
      if (fault.equals("kill")) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      } else {
        cli("CLIENT", "PAUSE", String.valueOf(seconds * 1000L), "ALL");
      }
    }

    private String cli(String... args) throws IOException, InterruptedException {
      List<String> command = new ArrayList<>(List.of(binary("redis-cli"), "-p", String.valueOf(port)));
      command.addAll(List.of(args));
      Process cli = new ProcessBuilder(command).redirectErrorStream(true).start();
      String answer = new String(cli.getInputStream().readAllBytes()).strip();
      cli.waitFor(10, TimeUnit.SECONDS);
      return answer;
    }

    private static String binary(String name) {
      for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
        File candidate = new File(dir, name);
        if (candidate.canExecute()) {
          return candidate.getPath();
        }
      }
      throw new IllegalStateException(name + " is not installed; apt-get install redis-server");
    }

    @Override
    public void close() throws InterruptedException {
      if (process != null) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }
}
