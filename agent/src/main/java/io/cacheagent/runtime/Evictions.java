package io.cacheagent.runtime;

import io.cacheagent.codec.ValueCodec;
import io.cacheagent.key.CacheKeys;
import io.cacheagent.key.UnstableArgumentException;
import io.cacheagent.logging.AgentLog;
import io.cacheagent.store.CacheStore;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs the evictions of a write method (see CacheRuntime for tombstones and generations): detaches
 * loads in flight that the write makes stale, writes the tombstone or the new generation without
 * waiting, and hands a write the store did not confirm to MissedEvictions. Writes not yet confirmed
 * are kept until they are, so that a JVM that exits right after a write can wait for them.
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

  /** Runs the evictions of {@code write} that belong before its body ({@code before}) or after it. */
  void run(WriteMethod write, Object[] args, boolean before) {
    for (Eviction eviction : write.evictions) {
      if (eviction.rule().before() != before) {
        continue;
      }
      if (eviction.rule().all()) {
        dropAll(eviction);
      } else {
        evictKeys(write, eviction, args);
      }
      table.evicted(eviction.cachedName());
    }
  }

  private void evictKeys(WriteMethod write, Eviction eviction, Object[] args) {
    List<String> keys;
    try {
      keys = CacheKeys.evictionKeys(eviction.namespace(), eviction.rule().key(), eviction.cachedShape(), args);
    } catch (UnstableArgumentException e) {
      // Which entry the write made stale is unknown, so none of them may be served any more.
      table.evictionKeyFailed(eviction.cachedName());
      AgentLog.warn("unstable-evict:" + write.name + ">" + eviction.cachedName(), write.name + " cannot compute the key it evicts from "
          + eviction.cachedName() + ": " + e.getMessage() + "; it drops every entry of that method instead (counted as"
          + " evictionKeyFailures)");
      dropAll(eviction);
      return;
    }
    for (String key : keys) {
      loads.evicted(key);
      track(eviction, store.set(key, ValueCodec.tombstone(), eviction.ttl()));
    }
  }

  private void dropAll(Eviction eviction) {
    loads.evictedAll(eviction.generationKey());
    track(eviction, store.set(eviction.generationKey(), Generations.nextFormatted()));
  }

  private void track(Eviction eviction, CompletionStage<?> written) {
    CompletableFuture<?> sent = written.toCompletableFuture();
    unconfirmed.add(sent);
    sent.whenComplete((ok, failure) -> {
      unconfirmed.remove(sent);
      if (failure != null) {
        missed.record(eviction.generationKey(), eviction.cachedName(), failure);
      }
    });
  }

  /** The writes of evictions sent and not yet confirmed (or refused) by the store. */
  List<CompletableFuture<?>> unconfirmed() {
    return List.copyOf(unconfirmed);
  }
}
