package io.cacheagent.runtime;

import io.cacheagent.store.CacheStore;
import java.util.concurrent.CompletionStage;
import org.HdrHistogram.Histogram;

/**
 * What an operator can see and do to one cached method while the application runs (JMX, the
 * stats command, metrics): its counters, its switch, and dropping all its entries.
 */
public final class MethodControl {

  private final CachedMethod method;
  private final MethodTable table;
  private final CacheStore store;

  MethodControl(CachedMethod method, MethodTable table, CacheStore store) {
    this.method = method;
    this.table = table;
    this.store = store;
  }

  /** The concrete method, e.g. {@code com.acme.Repo#find(long)}. */
  public String name() {
    return method.name;
  }

  /** The class loader's identity, to tell apart two methods of one name in two loaders. */
  public int loaderId() {
    return System.identityHashCode(method.loader());
  }

  /** Its counters now; see MethodSnapshot for what each counts. */
  public MethodSnapshot snapshot() {
    MethodStats stats = method.stats;
    Histogram load = stats.loadNanos;
    String signature = method.rule.signature().toString();
    long nearHits = stats.nearHits.sum();
    return new MethodSnapshot(method.name, enabled(), stats.hits(nearHits), nearHits, stats.misses.sum(), stats.coalesced.sum(),
        stats.uncached.sum(), stats.managed.sum(), stats.off[0], stats.undecodable.sum(), stats.refused.sum(),
        stats.unencodable.sum(),
        table.evictions(signature), table.evictionKeyFailures(signature),
        load.getTotalCount(), load.getMean() * load.getTotalCount() / 1e9, // the sum from the histogram: within 1%
        new MethodSnapshot.LoadQuantiles(seconds(load, 50), seconds(load, 90), seconds(load, 99)),
        stats.refreshes.sum(), stats.refreshFailures.sum());
  }

  private static double seconds(Histogram loadNanos, double percentile) {
    return loadNanos.getValueAtPercentile(percentile) / 1e9;
  }

  /** Whether it is served: switched on, and no eviction of it shown unable to evict. */
  public boolean enabled() {
    return table.serves(method);
  }

  /** Switches the method on or off until the configuration file next changes. */
  public void enable(boolean on) {
    table.setEnabled(method, on);
  }

  /**
   * Drops every entry of the method, in every JVM (a new generation, see CacheRuntime); the
   * stage completes when the store confirmed it, exceptionally when it did not.
   */
  public CompletionStage<?> dropAllEntries() {
    return Generations.dropAll(store, method.generationKey());
  }
}
