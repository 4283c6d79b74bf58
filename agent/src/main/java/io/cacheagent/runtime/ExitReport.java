package io.cacheagent.runtime;

import io.cacheagent.logging.AgentLog;
import io.cacheagent.store.CacheStore;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * What the agent does when the JVM exits: waits (briefly) for the evictions still in flight, so
 * that a job that writes and exits leaves nothing stale behind; then says one line per cached
 * method (what the cache did for it) and, for a JVM that exits before the agent was ready, one line
 * saying so, so that a short batch job does not look as if the agent did nothing for no reason.
 */
final class ExitReport {

  private final long startedNanos = System.nanoTime();
  private volatile MethodTable table;
  private volatile CacheStore store;
  private volatile CacheRuntime runtime;
  private volatile Duration flushTimeout;
  private volatile boolean instrumenting;

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
  void started(MethodTable startedTable, CacheStore startedStore, CacheRuntime startedRuntime, Duration timeout) {
    store = startedStore;
    runtime = startedRuntime;
    flushTimeout = timeout;
    table = startedTable;
  }

  /** The configured classes are instrumented from here on. */
  void instrumenting() {
    instrumenting = true;
  }

  private void print() {
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
    MethodTable current = table;
    if (current != null) {
      runtime.flushEvictions(flushTimeout);
    }
    String notYet = current == null ? "read a valid configuration"
        : !instrumenting ? "instrumented the configured classes"
        : "connecting".equals(store.state()) ? "a connection to its store (" + store.describe() + ")"
        : null;
    if (notYet != null) {
      AgentLog.info("the JVM exits " + millis + " ms after the agent started, before the agent had " + notYet
          + ": configured methods called until then ran uncached, and the entries that writes in that time"
          + " made stale were not evicted");
    }
    if (current != null) {
      for (CachedMethod method : current.cachedMethods()) {
        AgentLog.info(method.name + ": " + method.stats);
      }
    }
  }
}
