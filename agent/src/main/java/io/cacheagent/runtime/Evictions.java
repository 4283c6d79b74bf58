package io.cacheagent.runtime;

import io.cacheagent.codec.ValueCodec;
import io.cacheagent.key.CacheKeys;
import io.cacheagent.key.UnstableArgumentException;
import io.cacheagent.logging.AgentLog;
import io.cacheagent.store.CacheStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs the evictions of a write method (see CacheRuntime for tombstones and generations): detaches
 * loads in flight that the write makes stale, sends the tombstone or the new generation, and hands
 * a write the store did not confirm to MissedEvictions. Returns what it sent, for the write method
 * to wait for (CacheStore#awaitWrites). Writes not yet confirmed are kept until they are, so that a
 * JVM that exits right after a write can wait for them.
 */
final class Evictions {

  private final MethodTable table;
  private final CacheStore store;
  private final InFlightLoads loads;
  private final MissedEvictions missed;
  private final Set<CompletableFuture<?>> unconfirmed = ConcurrentHashMap.newKeySet();

  Evictions(MethodTable table, CacheStore store, InFlightLoads loads, MissedEvictions missed) {
    this.table = table;
    this.store = store;
    this.loads = loads;
    this.missed = missed;
  }

  /**
   * Runs the evictions of {@code write} before its body ({@code before}: those with {@code when:
   * before}) or after it returned (all of them). An eviction before the write runs again after it:
   * a call made while the write runs may load the old value from the database and replace the first
   * tombstone with it, and only a second tombstone, written once the write returned, removes it.
   */
  List<CompletableFuture<?>> run(WriteMethod write, Object self, Object[] args, boolean before) {
    return send(write, self, args, before, true);
  }

  /** Runs the evictions of {@code write} after it returned once more (after its transaction), uncounted. */
  List<CompletableFuture<?>> runAgain(WriteMethod write, Object self, Object[] args) {
    return send(write, self, args, false, false);
  }

  private List<CompletableFuture<?>> send(WriteMethod write, Object self, Object[] args, boolean before, boolean count) {
    List<CompletableFuture<?>> sent = new ArrayList<>(2);
    for (Eviction eviction : write.evictions) {
      if (before && !eviction.rule().before()) {
        continue;
      }
      if (eviction.rule().all()) {
        sent.add(dropAll(eviction));
      } else {
        evictKeys(write, eviction, self, args, sent);
      }
      if (count) {
        table.evicted(eviction.cachedName());
      }
    }
    return sent;
  }

  private void evictKeys(WriteMethod write, Eviction eviction, Object self, Object[] args, List<CompletableFuture<?>> sent) {
    List<String> keys;
    try {
      if (eviction.keyProblem() != null) {
        throw new UnstableArgumentException(eviction.keyProblem());
      }
      keys = CacheKeys.evictionKeys(eviction.namespace(), eviction.rule().key(), eviction.cachedShape(), self, args);
    } catch (UnstableArgumentException e) {
      // Which entry the write made stale is unknown, so none of them may be served any more.
      table.evictionKeyFailed(eviction.cachedName());
      AgentLog.warn("unstable-evict:" + write.name + ">" + eviction.cachedName(), write.name + " cannot compute the key it evicts from "
          + eviction.cachedName() + ": " + e.getMessage() + "; it drops every entry of that method instead (counted as"
          + " evictionKeyFailures)");
      sent.add(dropAll(eviction));
      return;
    }
    for (String key : keys) {
      loads.evicted(key);
      sent.add(track(eviction, store.set(key, ValueCodec.tombstone(), eviction.ttl())));
    }
  }

  private CompletableFuture<?> dropAll(Eviction eviction) {
    loads.evictedAll(eviction.generationKey());
    return track(eviction, store.set(eviction.generationKey(), Generations.nextFormatted()));
  }

  private CompletableFuture<?> track(Eviction eviction, CompletionStage<?> written) {
    CompletableFuture<?> sent = written.toCompletableFuture();
    unconfirmed.add(sent);
    // Recorded before anyone waiting on "sent" goes on: a write that returns after a refused
    // eviction already finds the method's entries held back.
    CompletableFuture<?> recorded = sent.whenComplete((ok, failure) -> {
      unconfirmed.remove(sent);
      if (failure != null) {
        missed.record(eviction.generationKey(), eviction.cachedName(), failure);
      }
    });
    return recorded;
  }

  /** The writes of evictions sent and not yet confirmed (or refused) by the store. */
  List<CompletableFuture<?>> unconfirmed() {
    return List.copyOf(unconfirmed);
  }
}
