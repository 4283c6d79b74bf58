package io.cacheagent.runtime;

import io.cacheagent.store.CacheStore;
import java.util.concurrent.CompletionStage;

/**
 * What an operator can see and do to one cached method while the application runs (JMX, the
 * stats command): its counters, its switch, and dropping all its entries.
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

  public long hits() {
    return method.stats.hits.sum();
  }

  public long misses() {
    return method.stats.misses.sum();
  }

  public long coalesced() {
    return method.stats.coalesced.sum();
  }

  public long uncached() {
    return method.stats.uncached.sum();
  }

  /** Every call that reached the cache: hits, misses, coalesced, uncached and managed. */
  public long calls() {
    return hits() + misses() + coalesced() + uncached() + managed();
  }

  /** Calls the cache answered without running the method: hits, and misses served by a concurrent call's load. */
  public long served() {
    return hits() + coalesced();
  }

  /**
   * The share of calls the cache answered ({@link #served} over {@link #calls}), 0 before the
   * first call: the one hit ratio of the log, {@code stats}, JMX and the README.
   */
  public static double hitRatio(long served, long calls) {
    return calls == 0 ? 0 : (double) served / calls;
  }

  /** Calls not served because the caller would have got a managed JPA entity (see MethodStats). */
  public long managed() {
    return method.stats.managed.sum();
  }

  /** Evictions that writes ran on this method's entries (by key or all). */
  public long evictions() {
    return table.evictions(method.rule.signature().toString());
  }

  /**
   * Evictions of writes that could not compute the key they evict from this method (a key
   * expression that fails on the write's arguments) and dropped every entry instead.
   */
  public long evictionKeyFailures() {
    return table.evictionKeyFailures(method.rule.signature().toString());
  }

  /**
   * What went wrong with this method's entries: entries undecodable, refused and unencodable, and
   * evictions that could not compute their key.
   */
  public long errors() {
    return method.stats.undecodable.sum() + method.stats.refused.sum() + method.stats.unencodable.sum()
        + evictionKeyFailures();
  }

  /** Misses whose method ran and returned (the loads timed). */
  public long loads() {
    return method.stats.loadNanos.getTotalCount();
  }

  /** The time a load took at this percentile (0-100), in seconds; 0 before the first load. */
  public double loadSeconds(double percentile) {
    return method.stats.loadNanos.getValueAtPercentile(percentile) / 1e9;
  }

  /** The total time of all loads, in seconds (from the histogram: within 1%). */
  public double loadSecondsSum() {
    return method.stats.loadNanos.getMean() * method.stats.loadNanos.getTotalCount() / 1e9;
  }

  public long undecodable() {
    return method.stats.undecodable.sum();
  }

  public long refused() {
    return method.stats.refused.sum();
  }

  public long unencodable() {
    return method.stats.unencodable.sum();
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
    return store.set(method.generationKey(), Generations.nextFormatted());
  }

  /** The counters as the exit report and the log print them. */
  public String counters() {
    return method.stats.toString();
  }
}
