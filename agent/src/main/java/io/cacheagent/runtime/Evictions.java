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
      try {
        CompletionStage<?> written;
        if (eviction.rule().all()) {
          loads.evictedAll(eviction.generationKey());
          written = store.set(eviction.generationKey(), Generations.nextFormatted());
        } else {
          String key = CacheKeys.key(eviction.namespace(), eviction.rule().key(), args);
          loads.evicted(key);
          written = store.set(key, ValueCodec.tombstone(), eviction.ttl());
        }
        table.evicted(eviction.cachedName());
        CompletableFuture<?> sent = written.toCompletableFuture();
        unconfirmed.add(sent);
        sent.whenComplete((ok, failure) -> {
          unconfirmed.remove(sent);
          if (failure != null) {
            missed.record(eviction.generationKey(), eviction.cachedName(), failure);
          }
        });
      } catch (UnstableArgumentException e) {
        AgentLog.warn("unstable-evict:" + write.name, write.name + " cannot evict from " + eviction.cachedName()
            + ": " + e.getMessage());
      }
    }
  }

  /** The writes of evictions sent and not yet confirmed (or refused) by the store. */
  List<CompletableFuture<?>> unconfirmed() {
    return List.copyOf(unconfirmed);
  }
}
