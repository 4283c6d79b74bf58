package io.cacheagent.startup;

import io.cacheagent.bootstrap.CacheBridge;
import io.cacheagent.codec.ValueCodec;
import io.cacheagent.config.AgentConfig;
import io.cacheagent.config.ClassNameScan;
import io.cacheagent.config.ConfigException;
import io.cacheagent.config.ConfigLoader;
import io.cacheagent.config.ConfigWatcher;
import io.cacheagent.instrument.ByteBuddyWarmUp;
import io.cacheagent.instrument.ClassLoadGate;
import io.cacheagent.instrument.Instrumenter;
import io.cacheagent.jdk.Immutable;
import io.cacheagent.jmx.AgentBean;
import io.cacheagent.jmx.JmxExporter;
import io.cacheagent.key.ArgumentHashing;
import io.cacheagent.logging.AgentLog;
import io.cacheagent.metrics.MetricsPublisher;
import io.cacheagent.runtime.CacheRuntime;
import io.cacheagent.runtime.MethodTable;
import io.cacheagent.store.CacheStore;
import io.cacheagent.store.LettuceResources;
import io.cacheagent.store.LocalStore;
import io.cacheagent.store.RedisStore;
import io.cacheagent.store.SharedReads;
import io.cacheagent.threads.AgentThreads;
import io.lettuce.core.resource.ClientResources;
import java.io.File;
import java.lang.instrument.Instrumentation;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import lombok.Value;

/**
 * Starts the agent inside its isolated class loader (called reflectively by {@code CacheAgent}).
 *
 * <p>On the thread that runs {@code premain} only cheap work happens: the configuration file is
 * read and scanned for the class names it mentions, and the {@link ClassLoadGate} is registered,
 * so that those classes are instrumented from their first load. Parsing the configuration,
 * loading Byte Buddy and connecting to Redis happen on daemon threads ({@code cache-agent-init},
 * {@code cache-agent-redis-connect}), so {@code main} starts almost as if there were no agent.
 * In strict mode ({@code -Dcache.agent.strict=true}) the configuration is parsed first, on the
 * premain thread, so that an invalid one fails the start.
 */
public final class AgentInstaller {

  /** System property naming the configuration file when the agent argument does not. */
  public static final String CONFIG_PROPERTY = "cache.agent.config";

  private AgentInstaller() {}

  /** Entry point from the launcher; throws only in strict mode. */
  public static void install(Instrumentation instrumentation, String agentArgs, File agentJar) {
    if (!CacheBridge.claim()) {
      AgentLog.info("already running in this JVM; this second start (" + agentArgs + ") is ignored");
      return;
    }
    String path = agentArgs != null && !agentArgs.trim().isEmpty() ? agentArgs.trim() : System.getProperty(CONFIG_PROPERTY);
    if (path == null || path.trim().isEmpty()) {
      AgentLog.info("no configuration given (use -javaagent:cache-agent.jar=cache-agent.yaml or -D"
          + CONFIG_PROPERTY + "=cache-agent.yaml); the application runs without caching");
      return;
    }
    LibrarySwitches.apply();
    Path file = Paths.get(path);
    boolean strict = Boolean.getBoolean("cache.agent.strict");
    StartStatus.starting();
    String text;
    try {
      text = ConfigLoader.read(file);
    } catch (ConfigException e) {
      if (strict) {
        throw stopTheStart(e);
      }
      refuse(e);
      // A file mounted or deployed a moment after the JVM started (a ConfigMap, a slow volume)
      // is taken up when it appears, as an invalid one is once it is fixed.
      ClassLoadGate nothingHeld = ClassLoadGate.register(instrumentation, Immutable.setOf());
      nothingHeld.close();
      ExitReport report = ExitReport.register();
      startInBackground(nothingHeld, () -> startAndWatch(instrumentation, nothingHeld, report, null, file, "", null));
      return;
    }
    AgentConfig parsedInPremain = null;
    if (strict) {
      try {
        parsedInPremain = parse(file, text);
      } catch (ConfigException e) {
        throw stopTheStart(e);
      }
    }
    ClassLoadGate gate = ClassLoadGate.register(instrumentation, ClassNameScan.internalNames(text));
    ExitReport report = ExitReport.register();
    CompletableFuture<ClientResources> lettuce = mayUseRedis(text) ? LettuceResources.makeInBackground() : null;
    ByteBuddyWarmUp.startInBackground();
    AgentConfig strictConfig = parsedInPremain;
    startInBackground(gate, () -> {
      AgentConfig config = strictConfig;
      if (config == null) {
        try {
          config = parse(file, text);
        } catch (ConfigException e) {
          gate.close();
          refuse(e);
        }
      }
      startAndWatch(instrumentation, gate, report, lettuce, file, text, config);
    });
  }

  /** Says why the configuration was refused; the application runs uncached. */
  private static void refuse(ConfigException e) {
    StartStatus.refused(e.getMessage());
    for (String line : e.getMessage().split("\\R")) {
      AgentLog.info(line);
    }
  }

  /** What protects entries and key names in Redis, when anything does: for the ready line. */
  private static String protections(AgentConfig config) {
    String protections = config.keyNames().hashing().hidesArguments() ? "; " + config.keyNames().hashing() : "";
    return config.signing().isOn() ? protections + "; " + config.signing() : protections;
  }

  /**
   * Says when key hashing is weaker than it looks, or asked for and off: a JVM that names keys
   * unlike the others on its Redis neither reads nor evicts their entries, so it must be seen.
   */
  private static void warnOfKeyHashing(AgentConfig config) {
    boolean secretSet = System.getenv(ConfigLoader.KEY_HASH_SECRET_ENV) != null;
    if (config.keyNames().hashing() == ArgumentHashing.SHA_256) {
      AgentLog.info("redis.hashKeys: argument values are hashed with plain SHA-256, for " + ConfigLoader.KEY_HASH_SECRET_ENV
          + " is not set: a guessed value (an email) can be confirmed by hashing it. Every JVM on this Redis must hash"
          + " keys alike, with the same secret or none");
    } else if (secretSet && !config.keyNames().hashing().hidesArguments()) {
      AgentLog.info(ConfigLoader.KEY_HASH_SECRET_ENV + " is set, but redis.hashKeys is not true: argument values stay"
          + " readable in key names");
    }
  }

  /**
   * Whether the configuration may name a Redis server: then Lettuce starts loading at once, while
   * the configuration is parsed. A wrong guess costs some CPU at start, never a result.
   */
  private static boolean mayUseRedis(String text) {
    return text.contains("redis:") || System.getenv(ConfigLoader.REDIS_URI_ENV) != null;
  }

  private static AgentConfig parse(Path file, String text) throws ConfigException {
    return ConfigLoader.parse(file.getFileName().toString(), text, System.getenv());
  }

  /** Prints the errors once and returns what stops the start in strict mode. */
  private static IllegalStateException stopTheStart(ConfigException e) {
    StartStatus.refused(e.getMessage());
    String message = e.getMessage().replace(
        "cache-agent is disabled and the application runs without caching",
        "strict mode (cache.agent.strict=true) stops the start");
    for (String line : message.split(System.lineSeparator())) {
      AgentLog.info(line);
    }
    return new IllegalStateException("the configuration has errors (above)");
  }

  /** A started agent: what JMX and reloads need of it. */
  @Value
  private static class Started {
    MethodTable table;
    CacheStore store;
    Reloader reloader;
  }

  /**
   * Starts with {@code config} ({@code null}: it had errors, the agent waits for a valid version),
   * then applies each valid change of the file, and shows itself in JMX.
   */
  private static void startAndWatch(Instrumentation instrumentation, ClassLoadGate gate, ExitReport report,
      CompletableFuture<ClientResources> lettuce, Path file, String text, AgentConfig config) {
    AtomicReference<Started> started =
        new AtomicReference<>(config == null ? null : start(instrumentation, gate, report, lettuce, config));
    AtomicReference<ConfigWatcher> watcher = new AtomicReference<>();
    CountDownLatch watching = new CountDownLatch(1);
    watcher.set(ConfigWatcher.start(file, text, config != null, System.getenv(), next -> {
      if (started.get() != null) {
        return started.get().reloader().apply(next);
      }
      awaitQuietly(watching);
      started.set(start(instrumentation, gate, report, lettuce, next));
      export(started.get(), watcher.get(), next);
      return Immutable.listOf("the agent started");
    }));
    watching.countDown();
    if (config != null) {
      export(started.get(), watcher.get(), config);
    } else {
      AgentLog.info("watching " + file.getFileName() + ": once it is " + (text.isEmpty() ? "readable and " : "") + "valid, the agent starts");
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void export(Started started, ConfigWatcher watcher, AgentConfig config) {
    String metricsUrl = MetricsPublisher.start(config.metrics(), started.table(), started.store());
    JmxExporter.start(started.table(), started.store(), new AgentBean(started.store(), watcher, metricsUrl,
        () -> started.table().dropAllEntries(started.reloader().inForce(), started.store())));
  }

  private static String plural(int count, String noun) {
    return count + " " + noun + (count == 1 ? "" : noun.endsWith("s") ? "es" : "s");
  }

  private static void startInBackground(ClassLoadGate gate, Runnable task) {
    AgentThreads.daemon("init", () -> {
      try {
        task.run();
      } catch (Throwable t) {
        gate.close();
        StartStatus.failed(String.valueOf(t));
        AgentLog.info("could not start (" + t + "); the application runs without caching");
      }
    }).start();
  }

  /**
   * The store first, so that its connection (most of a second on a small machine) is under way
   * while Byte Buddy loads; then the instrumentation, which opens the gate; then the codec, which
   * would otherwise load on the first miss.
   */
  private static Started start(Instrumentation instrumentation, ClassLoadGate gate, ExitReport report,
      CompletableFuture<ClientResources> lettuce, AgentConfig config) {
    long started = System.nanoTime();
    if (config.redis() == null && lettuce != null) {
      LettuceResources.discard(lettuce);
    }
    CacheStore store = config.redis() == null
        ? new LocalStore(LocalStore.DEFAULT_MAX_BYTES)
        : new SharedReads(new RedisStore(config.redis(), config.keyPrefix(), lettuce), config.redis().commandTimeout());
    MethodTable table = new MethodTable(config.keyNames(), config.serializationAllow(), config.signing());
    CacheRuntime runtime = new CacheRuntime(table, store);
    CacheBridge.install(runtime);
    report.started(table, store, runtime, config.redis() == null ? Duration.ZERO : config.redis().commandTimeout());
    Instrumenter instrumenter = Instrumenter.install(instrumentation, config, table, gate);
    report.instrumenting();
    ValueCodec.warmUp();
    String ready = plural(config.methods().size(), "cached method") + " in " + plural(instrumenter.classCount(), "class")
        + " from " + config.source() + ", store: " + store.describe() + protections(config)
        + " (" + (System.nanoTime() - started) / 1_000_000 + " ms);"
        + " changes to the file apply within " + ConfigWatcher.INTERVAL_MILLIS / 1000 + " s";
    AgentLog.info("ready: " + ready);
    warnOfKeyHashing(config);
    StartStatus.ready(ready);
    Reloader reloader = new Reloader(config, table, instrumenter);
    store.whenWritesMayBeLost(affected -> table.dropEntries(reloader.inForce(), store, affected));
    return new Started(table, store, reloader);
  }
}
