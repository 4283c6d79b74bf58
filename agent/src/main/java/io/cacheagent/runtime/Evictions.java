package io.cacheagent.runtime;

import io.cacheagent.codec.ValueCodec;
import io.cacheagent.key.CacheKeys;
import io.cacheagent.key.UnstableArgumentException;
import io.cacheagent.logging.AgentLog;
import io.cacheagent.store.CacheStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import lombok.Value;

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
   * One eviction as it was computed when the write ran: the keys to write tombstones to, or
   * {@code null} to drop every entry of the method. Kept, not the write's arguments, to run again
   * after a transaction: the arguments may have changed since, and may be large.
   */
  @Value
  static class Planned {
    Eviction eviction;
    List<String> keys;
  }

  /**
   * Runs the evictions of {@code write} before its body ({@code before}: those with {@code when:
   * before}) or after it returned (all of them): computes what to evict, for {@link #send} to send
   * now and again after a transaction. An eviction before the write runs again after it: a call
   * made while the write runs may load the old value from the database and replace the first
   * tombstone with it, and only a second tombstone, written once the write returned, removes it.
   */
  List<Planned> plan(WriteMethod write, Object self, Object[] args, boolean before) {
    List<Planned> planned = new ArrayList<>(2);
    for (Eviction eviction : write.evictions) {
      if (before && !eviction.rule().before()) {
        continue;
      }
      planned.add(new Planned(eviction, eviction.rule().all() ? null : keysOf(write, eviction, self, args)));
      table.evicted(eviction.cachedName());
    }
    return planned;
  }

  /** Sends planned evictions: detaches the loads they make stale, writes tombstones or new generations. */
  List<CompletableFuture<?>> send(List<Planned> planned) {
    List<CompletableFuture<?>> sent = new ArrayList<>(planned.size());
    for (Planned eviction : planned) {
      if (eviction.keys() == null) {
        sent.add(dropAll(eviction.eviction()));
      } else {
        for (String key : eviction.keys()) {
          loads.evicted(key);
          sent.add(track(eviction.eviction(), store.set(key, ValueCodec.tombstone(), eviction.eviction().ttl())));
        }
      }
    }
    return sent;
  }

  /** The keys an eviction writes tombstones to, or {@code null} (drop every entry) when they cannot be computed. */
  private List<String> keysOf(WriteMethod write, Eviction eviction, Object self, Object[] args) {
    try {
      if (eviction.keyProblem() != null) {
        throw new UnstableArgumentException(eviction.keyProblem());
      }
      return CacheKeys.evictionKeys(eviction.namespace(), eviction.generationKey(), eviction.rule().key(), eviction.cachedShape(), self, args);
    } catch (UnstableArgumentException e) {
      // Which entry the write made stale is unknown, so none of them may be served any more.
      table.evictionKeyFailed(eviction.cachedName());
      AgentLog.warn("unstable-evict:" + write.name + ">" + eviction.cachedName(), write.name + " cannot compute the key it evicts from "
          + eviction.cachedName() + ": " + e.getMessage() + "; it drops every entry of that method instead (counted as"
          + " evictionKeyFailures)");
      return null;
    }
  }

  private CompletableFuture<?> dropAll(Eviction eviction) {
    loads.evictedAll(eviction.generationKey().name());
    return track(eviction, Generations.dropAll(store, eviction.generationKey()));
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

  /**
   * Called when the JVM exits: sends the drops of methods that missed an eviction, and waits until
   * the store confirmed them and the evictions still unconfirmed, but not past {@code timeout}.
   * Without it, a JVM that writes and exits at once may leave other JVMs serving what it made stale.
   */
  void flush(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<CompletableFuture<?>> writes = new ArrayList<>(unconfirmed);
    writes.addAll(missed.sendDrops());
    for (CompletableFuture<?> write : writes) {
      try {
        write.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (ExecutionException | TimeoutException | CancellationException e) {
        // reported where it was sent; nothing more can be done in an exiting JVM
      }
    }
  }
}
