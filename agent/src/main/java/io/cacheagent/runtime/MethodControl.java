package io.cacheagent.runtime;

import io.cacheagent.store.CacheStore;

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

  /** Entries that could not be used or stored: undecodable, refused and unencodable. */
  public long errors() {
    return method.stats.undecodable.sum() + method.stats.refused.sum() + method.stats.unencodable.sum();
  }

  public boolean enabled() {
    return method.rule.enabled();
  }

  /** Switches the method on or off until the configuration file next changes. */
  public void enable(boolean on) {
    table.setEnabled(method, on);
  }

  /** Drops every entry of the method, in every JVM (a new generation, see CacheRuntime). */
  public void dropAllEntries() {
    store.set(method.generationKey, Generations.nextFormatted());
  }

  /** The counters as the exit report and the log print them. */
  public String counters() {
    return method.stats.toString();
  }
}
