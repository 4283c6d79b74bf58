package io.cacheagent.runtime;

import io.cacheagent.bootstrap.CacheBridge;
import io.cacheagent.config.AgentConfig;
import io.cacheagent.config.ConfigException;
import io.cacheagent.config.ConfigLoader;
import io.cacheagent.instrument.Instrumenter;
import io.cacheagent.logging.AgentLog;
import io.cacheagent.ops.AgentBean;
import io.cacheagent.ops.AgentThreads;
import io.cacheagent.ops.ConfigWatcher;
import io.cacheagent.ops.JmxExporter;
import io.cacheagent.ops.MetricsPublisher;
import io.cacheagent.ops.Reloader;
import io.cacheagent.store.CacheStore;
import io.cacheagent.store.LocalStore;
import io.cacheagent.store.RedisStore;
import io.cacheagent.store.SharedReads;
import java.io.File;
import java.lang.instrument.Instrumentation;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Starts the agent inside its isolated class loader (called reflectively by {@code CacheAgent}).
 *
 * <p>Nothing slow happens on the thread that runs {@code premain}: reading the configuration,
 * installing Byte Buddy and connecting to Redis all happen on the daemon thread {@code
 * cache-agent-init}, so {@code main} starts as if there were no agent. Calls made before the agent
 * is ready run uncached. In strict mode ({@code -Dcache.agent.strict=true}) the configuration is
 * read first, on the premain thread, so that an invalid one fails the start.
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
    String path = agentArgs != null && !agentArgs.isBlank() ? agentArgs.strip() : System.getProperty(CONFIG_PROPERTY);
    if (path == null || path.isBlank()) {
      AgentLog.info("no configuration given (use -javaagent:cache-agent.jar=cache-agent.yaml or -D"
          + CONFIG_PROPERTY + "=cache-agent.yaml); the application runs without caching");
      return;
    }
    Path file = Path.of(path);
    if (Boolean.getBoolean("cache.agent.strict")) {
      String text;
      AgentConfig config;
      try {
        text = ConfigLoader.read(file);
        config = ConfigLoader.parse(file.getFileName().toString(), text, System.getenv());
      } catch (ConfigException e) {
        String message = e.getMessage().replace(
            "cache-agent is disabled and the application runs without caching",
            "strict mode (cache.agent.strict=true) stops the start");
        for (String line : message.split(System.lineSeparator())) {
          AgentLog.info(line);
        }
        throw new IllegalStateException(message);
      }
      startInBackground(() -> startAndWatch(instrumentation, file, text, config));
    } else {
      startInBackground(() -> {
        String text;
        try {
          text = ConfigLoader.read(file);
        } catch (ConfigException e) {
          e.getMessage().lines().forEach(AgentLog::info);
          return;
        }
        AgentConfig config = null;
        try {
          config = ConfigLoader.parse(file.getFileName().toString(), text, System.getenv());
        } catch (ConfigException e) {
          e.getMessage().lines().forEach(AgentLog::info);
        }
        startAndWatch(instrumentation, file, text, config);
      });
    }
  }

  /** A started agent: what JMX and reloads need of it. */
  private record Started(MethodTable table, CacheStore store, Reloader reloader) {}

  /**
   * Starts with {@code config} ({@code null}: it had errors, the agent waits for a valid version),
   * then applies each valid change of the file, and shows itself in JMX.
   */
  private static void startAndWatch(Instrumentation instrumentation, Path file, String text, AgentConfig config) {
    AtomicReference<Started> started = new AtomicReference<>(config == null ? null : start(instrumentation, config));
    AtomicReference<ConfigWatcher> watcher = new AtomicReference<>();
    CountDownLatch watching = new CountDownLatch(1);
    watcher.set(ConfigWatcher.start(file, text, config != null, System.getenv(), next -> {
      if (started.get() != null) {
        return started.get().reloader().apply(next);
      }
      awaitQuietly(watching);
      started.set(start(instrumentation, next));
      export(started.get(), watcher.get(), next);
      return List.of("the agent started");
    }));
    watching.countDown();
    if (config != null) {
      export(started.get(), watcher.get(), config);
    } else {
      AgentLog.info("watching " + file.getFileName() + ": once it is valid, the agent starts");
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
    JmxExporter.start(started.table(), started.store(), new AgentBean(started.store(), watcher));
    MetricsPublisher.start(config.metrics(), started.table(), started.store());
  }

  /** One line per cached method when the JVM exits: what the cache did for it. */
  private static void reportAtExit(MethodTable table) {
    Thread report = new Thread(() -> {
      for (CachedMethod method : table.cachedMethods()) {
        AgentLog.info(method.name + ": " + method.stats);
      }
    }, "cache-agent-exit-report");
    report.setContextClassLoader(null);
    try {
      Runtime.getRuntime().addShutdownHook(report);
    } catch (IllegalStateException alreadyExiting) {
      // nothing to report on a JVM that is already going down
    }
  }

  private static String plural(int count, String noun) {
    return count + " " + noun + (count == 1 ? "" : noun.endsWith("s") ? "es" : "s");
  }

  private static void startInBackground(Runnable task) {
    AgentThreads.daemon("init", () -> {
      try {
        task.run();
      } catch (Throwable t) {
        AgentLog.info("could not start (" + t + "); the application runs without caching");
      }
    }).start();
  }

  private static Started start(Instrumentation instrumentation, AgentConfig config) {
    long started = System.nanoTime();
    CacheStore store = config.redis() == null
        ? new LocalStore(LocalStore.DEFAULT_MAX_BYTES)
        : new SharedReads(new RedisStore(config.redis()), config.redis().commandTimeout());
    MethodTable table = new MethodTable(config.keyPrefix(), config.serializationAllow());
    CacheBridge.install(new CacheRuntime(table, store));
    Instrumenter instrumenter = Instrumenter.install(instrumentation, config, table);
    reportAtExit(table);
    AgentLog.info("ready: " + plural(config.methods().size(), "cached method") + " in " + plural(instrumenter.classCount(), "class")
        + " from " + config.source() + ", store: " + store.describe() + " (" + (System.nanoTime() - started) / 1_000_000 + " ms);"
        + " changes to the file apply within " + ConfigWatcher.INTERVAL_MILLIS / 1000 + " s");
    return new Started(table, store, new Reloader(config, table, instrumenter));
  }
}
