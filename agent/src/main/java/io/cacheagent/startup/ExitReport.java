package io.cacheagent.startup;

import io.cacheagent.logging.AgentLog;
import io.cacheagent.runtime.CacheRuntime;
import io.cacheagent.runtime.MethodSnapshot;
import io.cacheagent.runtime.MethodTable;
import io.cacheagent.store.CacheStore;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import lombok.Value;

/**
 * What the agent does when the JVM exits: waits (briefly) for the evictions still in flight, so
 * that a job that writes and exits leaves nothing stale behind; then says one line per cached
 * method (what the cache did for it) and, for a JVM that exits before the agent was ready, one line
 * saying so, so that a short batch job does not look as if the agent did nothing for no reason.
 */
final class ExitReport {

  private final long startedNanos = System.nanoTime();
  private volatile Started started;
  private volatile boolean instrumenting;

  /** What the agent has once it started; {@code flushTimeout}: the store's command timeout. */
  @Value
  private static class Started {
    MethodTable table;
    CacheStore store;
    CacheRuntime runtime;
    Duration flushTimeout;
  }

  private ExitReport() {}

  /** A report printed by a shutdown hook, counting time from now (the agent's start). */
  static ExitReport register() {
    ExitReport report = new ExitReport();
    Thread hook = new Thread(report::print, "cache-agent-exit-report");
    hook.setContextClassLoader(null);
    try {
      Runtime.getRuntime().addShutdownHook(hook);
    } catch (IllegalStateException alreadyExiting) {
      // nothing to report on a JVM that is already going down
    }
    return report;
  }

  /**
   * The agent has started: its methods are reported, and its evictions waited for at most {@code
   * timeout} (the store's command timeout).
   */
  void started(MethodTable table, CacheStore store, CacheRuntime runtime, Duration timeout) {
    started = new Started(table, store, runtime, timeout);
  }

  /** The configured classes are instrumented from here on. */
  void instrumenting() {
    instrumenting = true;
  }

  private void print() {
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
    Started current = started;
    if (current != null) {
      current.runtime().flushEvictions(current.flushTimeout());
    }
    String notYet = current == null ? "read a valid configuration"
        : !instrumenting ? "instrumented the configured classes"
        : "connecting".equals(current.store().state()) ? "a connection to its store (" + current.store().describe() + ")"
        : null;
    if (notYet != null) {
      AgentLog.info("the JVM exits " + millis + " ms after the agent started, before the agent had " + notYet
          + ": configured methods called until then ran uncached, and the entries that writes in that time"
          + " made stale were not evicted");
    }
    if (current != null) {
      for (MethodSnapshot method : current.table().snapshots(current.store())) {
        AgentLog.info(method.method() + ": " + method);
      }
    }
  }
}
