package io.cacheagent.bench;

import java.util.concurrent.locks.LockSupport;

/**
 * The "application" the benchmarks call: the same small lookup under several names, which
 * benchmarks/jmh.sh configures differently (cached, switched off, not listed).
 */
public final class Catalog {

  private Catalog() {}

  /** A small value: three fields, about 40 bytes encoded. */
  public record Item(long id, String name, long cents) {}

  /** Configured, cached. */
  public static Item find(long id) {
    return item(id);
  }

  /** Configured, cached, with a nearCache: hits from a copy in the JVM. */
  public static Item findNear(long id) {
    return item(id);
  }

  /** Configured, cached, with a nearCache whose hits share one decoded result (shareInstances). */
  public static Item findShared(long id) {
    return item(id);
  }

  /** Configured with {@code enabled: false}. */
  public static Item findSwitchedOff(long id) {
    return item(id);
  }

  /** Not in the configuration: never transformed. */
  public static Item findNotListed(long id) {
    return item(id);
  }

  /** Configured, cached; takes about a millisecond, as a query would: the miss benchmark calls it with new ids. */
  public static Item load(long id) {
    LockSupport.parkNanos(1_000_000);
    return item(id);
  }

  /** The same millisecond, not configured: the miss's baseline. */
  public static Item loadNotListed(long id) {
    LockSupport.parkNanos(1_000_000);
    return item(id);
  }

  /** Calls of {@link #loadAll} that ran: how a benchmark sees its entries stored. */
  static final java.util.concurrent.atomic.AtomicLong BATCH_LOADS = new java.util.concurrent.atomic.AtomicLong();

  /** Configured with batch: one query of about a millisecond for any number of ids, as "where id in (...)" takes. */
  public static java.util.List<Item> loadAll(java.util.List<Long> ids) {
    BATCH_LOADS.incrementAndGet();
    return loadAllNotListed(ids);
  }

  /** The same query, not configured: the batch's baseline. */
  public static java.util.List<Item> loadAllNotListed(java.util.List<Long> ids) {
    LockSupport.parkNanos(1_000_000);
    java.util.List<Item> items = new java.util.ArrayList<>(ids.size());
    ids.forEach(id -> items.add(item(id)));
    return items;
  }

  private static Item item(long id) {
    return new Item(id, "item-" + id, id * 100);
  }
}
