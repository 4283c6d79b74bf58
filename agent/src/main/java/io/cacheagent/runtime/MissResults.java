package io.cacheagent.runtime;

import io.cacheagent.logging.AgentLog;
import io.cacheagent.store.CacheStore;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * What becomes of a miss's result: stored at once, once its transaction committed, or once its
 * future completed; or not at all (it cannot be encoded, it came too late, the future failed). In
 * every case the miss's load ends: the calls that waited for it get the entry, or run the method.
 */
final class MissResults {

  /**
   * A call that missed: where to store its result, under which generation, and the bytes it saw
   * there ({@code null}: none), so that the store only replaces what it saw; when its read of the
   * store was sent ({@code readNanos}), the method's TTL then, and when its load began.
   */
  record Miss(String key, long generation, byte[] seen, InFlightLoads.Load load, byte[] leaseToken, long readNanos,
      Duration ttlAtRead, long startedNanos) {}

  private final CacheStore store;
  private final InFlightLoads loads;
  /** {@code System.nanoTime}, or a test's clock. */
  private final LongSupplier nanoClock;
  /** What a transaction's stores are kept in, and under which owner (the one the runtime's write side shares). */
  private final Object owner;
  private final Supplier<AfterTransaction> afterTransaction;

  MissResults(CacheStore store, InFlightLoads loads, LongSupplier nanoClock, Object owner, Supplier<AfterTransaction> afterTransaction) {
    this.store = store;
    this.loads = loads;
    this.nanoClock = nanoClock;
    this.owner = owner;
    this.afterTransaction = afterTransaction;
  }

  /**
   * A miss of a method that returns a future: the value is stored once the future completes with
   * one, on the thread that completes it; a future that fails or is cancelled stores nothing, as a
   * method that throws. Inside a transaction that may read what it has not committed, nothing is
   * stored: the value may come after the commit or the rollback, and on another thread.
   */
  void storeWhenComplete(CachedMethod method, Miss miss, Object result, boolean inTransaction) {
    if (!(result instanceof CompletionStage<?> future) || inTransaction) {
      end(miss, null);
      return;
    }
    future.whenComplete((value, failure) -> {
      if (failure != null) {
        end(miss, null);
        return;
      }
      try {
        store(method, miss, value, false);
      } catch (Throwable t) {
        AgentLog.warn("internal:complete-future:" + t.getClass().getName(), "internal error in storing the value of "
            + method.name + "'s future (" + t + "); it was not cached");
      }
    });
  }

  void store(CachedMethod method, Miss miss, Object result, boolean inTransaction) {
    method.stats.loadNanos.recordValue(Math.max(0, nanoClock.getAsLong() - miss.startedNanos()));
    byte[] entry = null;
    Duration ttl = method.ttlFor(result);
    try {
      entry = Entries.encode(method, miss.key(), miss.generation(), result, ttl);
      if (entry != null && outlivedItsTombstones(method, miss)) {
        entry = null; // nor shared: a follower that began after such a write would get what it made stale
      }
      if (entry != null && (result != null || method.rule.cacheNulls())) {
        if (!inTransaction) {
          put(miss, entry, ttl);
        } else {
          byte[] loaded = entry;
          AfterTransaction after = method.transactions().forTransaction(owner, afterTransaction);
          if (after != null) { // null: it could not take part; nothing is stored
            after.stores.add(() -> {
              if (!outlivedItsTombstones(method, miss)) { // a long transaction's commit may come later still
                put(miss, loaded, ttl);
              }
            });
          }
        }
      }
    } finally {
      // After the store was sent: a call that misses from now on reads it (one connection keeps order).
      end(miss, inTransaction ? null : entry);
    }
  }

  /**
   * Whether the miss read the store longer ago than a tombstone lives (the method's TTL), less the
   * time a store command may take to run: then a write made while it loaded may have left a
   * tombstone that has expired since, the key looks as empty as the miss found it, and its SET NX
   * would put the old value back. Such a result is neither stored nor shared (reported once).
   */
  private boolean outlivedItsTombstones(CachedMethod method, Miss miss) {
    Duration current = method.rule.ttl(); // a reload may have changed it since the read: the shorter counts
    Duration ttl = current.compareTo(miss.ttlAtRead()) < 0 ? current : miss.ttlAtRead();
    long sinceRead = nanoClock.getAsLong() - miss.readNanos();
    if (sinceRead < ttl.toNanos() - store.commandTimeout().toNanos()) {
      return false;
    }
    AgentLog.warn("outlived-ttl:" + method.name, method.name + ": a result was not cached, for it came "
        + TimeUnit.NANOSECONDS.toMillis(sinceRead) + " ms after the call read the cache, longer than the ttl of " + ttl.toMillis()
        + " ms less the command timeout: a write made meanwhile may no longer be seen. Raise the ttl above the method's"
        + " slowest loads (or transactions) to cache them");
    return true;
  }

  /**
   * Stores a miss's entry unless the key changed since the miss read it (an eviction, another
   * load's entry): then the entry may predate a write, and is dropped.
   */
  private void put(Miss miss, byte[] entry, Duration ttl) {
    if (miss.seen() == null) {
      store.setIfAbsent(miss.key(), entry, ttl);
    } else {
      store.replace(miss.key(), miss.seen(), entry, ttl);
    }
  }

  /** Ends a miss's load: its followers get {@code entry} ({@code null}: they run the method), its lease is released. */
  void end(Miss miss, byte[] entry) {
    loads.finish(miss.key(), miss.load(), entry);
    if (miss.leaseToken() != null) {
      store.release(Leases.leaseKey(miss.key()), miss.leaseToken());
    }
  }
}
