package io.cacheagent.runtime;

import io.cacheagent.logging.AgentLog;
import io.cacheagent.store.CacheStore;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import lombok.Value;

/**
 * What becomes of a miss's result: stored at once, once its transaction committed, or once its
 * future completed; or not at all (it cannot be encoded, it came too late, the future failed). In
 * every case the miss's load ends: the calls that waited for it get the entry, or run the method.
 */
final class MissResults {

  /**
   * A call that missed: where to store its result, under which generation, and the bytes it saw
   * there ({@code null}: none), so that the store only replaces what it saw; when its read of the
   * store was sent ({@code readNanos}), the method's TTL then, and when its load began. An element
   * of a batch call has no load (no other call waits for it) nor lease.
   */
  @Value
  static class Miss {
    String key;
    long generation;
    byte[] seen;
    InFlightLoads.Load load;
    byte[] leaseToken;
    long readNanos;
    Duration ttlAtRead;
    long startedNanos;
  }

  private final CacheStore store;
  private final InFlightLoads loads;
  /** {@code System.nanoTime}, or a test's clock. */
  private final LongSupplier nanoClock;
  /** {@code System.currentTimeMillis}, or a test's clock: when an entry should be refreshed (refreshAhead). */
  private final LongSupplier wallClock;
  /** The key under which a transaction's misses and writes share one AfterTransaction: the runtime. */
  private final Object owner;
  private final Supplier<AfterTransaction> afterTransaction;

  MissResults(CacheStore store, InFlightLoads loads, LongSupplier nanoClock, LongSupplier wallClock, Object owner,
      Supplier<AfterTransaction> afterTransaction) {
    this.store = store;
    this.loads = loads;
    this.nanoClock = nanoClock;
    this.wallClock = wallClock;
    this.owner = owner;
    this.afterTransaction = afterTransaction;
  }

  /**
   * A miss of a method that returns a future. Returns what the caller gets instead of the method's
   * own future: a CompletableFuture that completes as it does, once its value was encoded and
   * stored. The caller's callbacks, and a caller blocked in join(), then run after the encode: a
   * caller that changes the value it got cannot change what is stored (the method's own future
   * runs the callbacks chained last first, so a store chained on it would come after the
   * caller's). Cancelling the caller's future cancels the method's.
   *
   * <p>A future that fails or is cancelled stores nothing, as a method that throws. Inside a
   * transaction that may read what it has not committed, on the calling thread or the completing
   * one, nothing is stored: the value may come after the commit or the rollback. The load ends
   * when the future completes, before the caller's callbacks run: the calls that shared it (see
   * FutureFollowers) get their copies of the entry, or run the method themselves.
   */
  Object storeWhenComplete(CachedMethod method, Miss miss, Object result, boolean inTransaction) {
    if (!(result instanceof CompletionStage<?>) || inTransaction) {
      end(miss, null);
      return result;
    }
    CompletionStage<?> future = (CompletionStage<?>) result;
    CompletableFuture<Object> callers = new CompletableFuture<>();
    try {
      FutureRelay.relay(future, callers, (value, failure) -> {
        byte[] entry = null;
        try {
          if (failure == null && !method.transactions().mayReadUncommitted()) {
            entry = storeQuietly(method, miss, value);
          }
        } finally {
          end(miss, entry);
        }
      });
    } catch (RuntimeException e) { // an application's own CompletionStage that refuses a callback
      end(miss, null);
      return result;
    }
    return callers;
  }

  /**
   * {@link #encodeAndPut}, outside a transaction, never throwing into the application's future;
   * returns the entry the calls that shared the load may have ({@code null}: none).
   */
  private byte[] storeQuietly(CachedMethod method, Miss miss, Object value) {
    try {
      return encodeAndPut(method, miss, value, false);
    } catch (Throwable t) {
      AgentLog.warn("internal:complete-future:" + t.getClass().getName(), "internal error in storing the value of "
          + method.name + "'s future (" + t + "); it was not cached");
      return null;
    }
  }

  /** A miss of a method that returns its value: stores it, then ends the load. */
  void store(CachedMethod method, Miss miss, Object result, boolean inTransaction) {
    byte[] entry = null;
    try {
      entry = encodeAndPut(method, miss, result, inTransaction);
    } finally {
      // After the store was sent: a call that misses from now on reads it (one connection keeps order).
      end(miss, inTransaction ? null : entry);
    }
  }

  /**
   * A refresh's result (see Refreshes): stored over exactly the bytes the hit read, which held
   * when they were written. So no tombstone that has expired since can let it through, and the
   * age of the read (a near-cache copy's may be old) does not matter, as it does for a SET NX.
   */
  void storeOver(CachedMethod method, Miss miss, Object result) {
    Duration ttl = method.ttlFor(result);
    byte[] entry = Entries.encode(method, miss.key(), miss.generation(), result, ttl, wallClock.getAsLong());
    if (entry != null && (result != null || method.rule.cacheNulls())) {
      put(miss, entry, ttl); // a compare-and-set: a refresh's miss saw the hit's bytes
    }
  }

  /**
   * Encodes the result and sends its store, or keeps it for after the commit; returns the entry
   * the calls waiting for the load may share ({@code null}: none may).
   */
  private byte[] encodeAndPut(CachedMethod method, Miss miss, Object result, boolean inTransaction) {
    if (miss.load() != null) { // a batch's elements have none: the batch's load is timed once, not once per element
      method.stats.loadNanos.recordValue(Math.max(0, nanoClock.getAsLong() - miss.startedNanos()));
    }
    Duration ttl = method.ttlFor(result);
    byte[] entry = Entries.encode(method, miss.key(), miss.generation(), result, ttl, wallClock.getAsLong());
    if (entry != null && outlivedItsTombstones(method, miss)) {
      return null; // nor shared: a follower that began after such a write would get what it made stale
    }
    if (entry != null && (result != null || method.rule.cacheNulls())) {
      if (!inTransaction) {
        put(miss, entry, ttl);
      } else {
        AfterTransaction after = method.transactions().forTransaction(owner, afterTransaction);
        if (after != null) { // null: it could not take part; nothing is stored
          after.stores.add(() -> {
            if (!outlivedItsTombstones(method, miss)) { // a long transaction's commit may come later still
              put(miss, entry, ttl);
            }
          });
        }
      }
    }
    return entry;
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
    if (miss.load() != null) { // null: an element of a batch, which no other call waits for (see BatchReads)
      loads.finish(miss.key(), miss.load(), entry);
    }
    if (miss.leaseToken() != null) {
      store.release(Leases.leaseKey(miss.key()), miss.leaseToken());
    }
  }
}
