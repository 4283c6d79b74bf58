package io.cacheagent.demo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the catalog service under the same load without and with cache-agent, and with Redis a
 * third time with a near cache on every method, and reports the difference. Started by
 * {@code ./demo.sh}; every option has a default:
 *
 * <pre>
 *   --agent PATH      agent/target/cache-agent.jar
 *   --config PATH     config/demo.yaml
 *   --redis URI       Redis for the agent run; "none" for the in-process store (default: none)
 *   --near-cache B    with Redis, a third run with nearCache in the configuration's defaults
 *                     (default true; a near cache needs Redis)
 *   --clients N       concurrent clients (default 16)
 *   --think MS        pause of each client between requests (default 50)
 *   --warmup S        seconds of unrecorded load per mode (default 30)
 *   --seconds S       seconds of recorded load per mode (default 30)
 *   --out DIR         where demo-report.json and demo-report.html go (default demo-app/target)
 *   --classpath CP    the service's class path (default: this jar)
 *   --db DB           the service's database: h2 (in memory, the default), postgres (PostgreSQL at
 *                     127.0.0.1:5432, database test, user postgres), or a JDBC URL
 * </pre>
 */
public final class DemoRunner {

  private DemoRunner() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = options(args);
    Path agent = Path.of(options.getOrDefault("agent", "agent/target/cache-agent.jar"));
    Path config = Path.of(options.getOrDefault("config", "config/demo.yaml"));
    String redis = options.getOrDefault("redis", "none");
    boolean nearCache = !redis.equals("none") && Boolean.parseBoolean(options.getOrDefault("near-cache", "true"));
    int clients = Integer.parseInt(options.getOrDefault("clients", "16"));
    long think = Long.parseLong(options.getOrDefault("think", "50"));
    Duration warmup = Duration.ofSeconds(Long.parseLong(options.getOrDefault("warmup", "30")));
    Duration measure = Duration.ofSeconds(Long.parseLong(options.getOrDefault("seconds", "30")));
    Path out = Path.of(options.getOrDefault("out", "demo-app/target"));
    Path classpath = Path.of(options.getOrDefault("classpath",
        Path.of(DemoRunner.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString()));

    String db = options.getOrDefault("db", "h2");
    Map<String, String> serviceEnv = new HashMap<>();
    if (!db.equals("h2")) {
      serviceEnv.put("CATALOG_DB_URL", db.equals("postgres")
          ? "jdbc:postgresql://127.0.0.1:5432/test?user=postgres&reWriteBatchedInserts=true" : db);
    }
    String database = db.equals("h2") ? "H2 in memory" : db.equals("postgres") ? "PostgreSQL at 127.0.0.1:5432" : db;
    Map<String, String> agentEnv = new HashMap<>(serviceEnv);
    String store;
    if (redis.equals("none")) {
      store = "in-process store (no Redis found)";
    } else {
      agentEnv.put("CACHE_AGENT_REDIS_URI", redis);
      // A prefix of its own per run: entries of an earlier run never answer this one.
      agentEnv.put("CACHE_AGENT_KEY_PREFIX", "demo-" + System.currentTimeMillis());
      store = "Redis at " + redis;
    }
    String conditions = String.format("%d clients with %d ms think time, %ds warm-up + %ds measured per mode, Zipf(1.2) over 1,000 products, "
            + "85.5%% product pages / 8%% searches / 6%% reports / 0.5%% writes (price changes, 1 in 10 a delete); %d cores, Java %s; database: %s; agent store: %s",
        clients, think, warmup.toSeconds(), measure.toSeconds(), Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"), database, store);
    System.out.println("cache-agent demo: " + conditions);

    List<RunResult> runs = new ArrayList<>();
    int modes = nearCache ? 3 : 2;
    System.out.println("[1/" + modes + "] the catalog service without the agent");
    try (ServiceProcess service = ServiceProcess.start(classpath, null, null, serviceEnv)) {
      runs.add(new LoadDriver(service.baseUrl(), clients, think).run("no-agent", "none", warmup, measure));
    }
    System.out.println("[2/" + modes + "] the same service with -javaagent:" + agent + "=" + config + " (" + store + ")");
    try (ServiceProcess service = ServiceProcess.start(classpath, agent, config, agentEnv)) {
      runs.add(new LoadDriver(service.baseUrl(), clients, think).run("agent", store, warmup, measure));
    }
    if (nearCache) {
      Files.createDirectories(out);
      Path nearConfig = out.resolve("demo-near-cache.yaml");
      Files.writeString(nearConfig, withNearCache(Files.readString(config), config));
      System.out.println("[3/3] the same, with " + NEAR_CACHE.strip() + " (" + nearConfig + ")");
      ServiceProcess service = ServiceProcess.start(classpath, agent, nearConfig, agentEnv);
      RunResult run;
      try (service) {
        run = new LoadDriver(service.baseUrl(), clients, think).run("near-cache", store, warmup, measure);
      }
      runs.add(run.withNearHits(nearHits(service.output())));
    }

    System.out.println();
    System.out.print(Report.table(runs));
    RunResult before = runs.get(0);
    RunResult after = runs.get(1);
    System.out.printf("with the agent: p50 %.1fx lower, %.1fx the throughput, %.1f%% fewer database queries per request, %d stale reads%n",
        before.percentileMillis(50) / Math.max(0.001, after.percentileMillis(50)),
        after.throughputPerSecond() / Math.max(0.001, before.throughputPerSecond()),
        100.0 * (1 - after.dbQueriesPerRequest() / Math.max(1e-9, before.dbQueriesPerRequest())), after.staleReads());
    if (nearCache) {
      RunResult near = runs.get(2);
      System.out.printf("with a near cache: p50 %.2f ms against %.2f ms, %d hits served from copies in the service's JVM, %d stale reads%n",
          near.percentileMillis(50), after.percentileMillis(50), near.nearHits(), near.staleReads());
    }
    Files.createDirectories(out);
    Report.writeJson(out.resolve("demo-report.json"), runs, conditions);
    Report.writeHtml(out.resolve("demo-report.html"), runs, conditions);
    System.out.println("report: " + out.resolve("demo-report.html") + " and " + out.resolve("demo-report.json"));
  }

  /** What the third run adds to the configuration's {@code defaults}. */
  static final String NEAR_CACHE = "  nearCache: {maxEntries: 10000, ttl: 1m}\n";

  private static final Pattern NEAR_HITS = Pattern.compile(" nearHits=(\\d+)");

  /** {@code yaml} (read from {@code path}) with {@link #NEAR_CACHE} as the first line of its {@code defaults}. */
  static String withNearCache(String yaml, Path path) {
    Matcher defaults = Pattern.compile("(?m)^defaults:[ \\t]*(#.*)?\\n").matcher(yaml);
    if (!defaults.find()) {
      throw new IllegalArgumentException(path + " has no defaults: section for the near-cache run to add nearCache to"
          + " (or run with --near-cache false)");
    }
    return yaml.substring(0, defaults.end()) + NEAR_CACHE + yaml.substring(defaults.end());
  }

  /** The near hits of every method in the agent's exit report, which {@code output} ends with. */
  static long nearHits(String output) {
    long hits = 0;
    for (Matcher m = NEAR_HITS.matcher(output); m.find(); ) {
      hits += Long.parseLong(m.group(1));
    }
    return hits;
  }

  /** Parses {@code --name value} pairs. */
  static Map<String, String> options(String[] args) {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("expected an option such as --seconds 30, got " + args[i]);
      }
      options.put(args[i].substring(2), args[i + 1]);
    }
    return options;
  }
}
