package io.cacheagent.runtime;

import io.cacheagent.key.GenerationKey;
import io.cacheagent.logging.AgentLog;
import io.cacheagent.store.CacheStore;
import io.cacheagent.threads.AgentThreads;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import lombok.Value;

/*
 * Cached methods that missed an eviction, because Redis did not take the write's tombstone or new
 * generation (down, restarting, timed out).
 *
 * Such a method's entries may be stale: none of them is served again until all of them have been
 * dropped (one SET of a new generation, see CacheRuntime). The drop is sent as soon as Redis
 * answers a read again, when the connection comes back, and once a second until Redis confirms it
 * (so that a JVM that only writes makes it good too; one retry at a time, on one daemon thread).
 * Until then calls of that method run uncached.
 *
 * Why drop everything instead of retrying the missed evictions: a retry queue must keep every
 * missed key for as long as Redis is away (unbounded), and replay them in order; one flag per method
 * is bounded and cannot miss. The cost is a cold cache for that method after the outage.
 *
 * Other JVMs that still reached Redis during the outage may have served the stale entries in the
 * meantime; nothing on this side can prevent that.
 */
final class MissedEvictions {

  private final CacheStore store;
  /**
   * Sends the drops again once a second. Its one thread starts at the first retry: the JDK's pools
   * start threads on demand.
   */
  private final ScheduledExecutorService retries =
      Executors.newSingleThreadScheduledExecutor(task -> AgentThreads.daemon("missed-evictions", task));
  /** Whether a retry is scheduled: at most one is, however many drops fail. */
  private final AtomicBoolean retryScheduled = new AtomicBoolean();
  /** Generation key of each method that missed an eviction, with its name and whether a drop is in flight. */
  private final Map<GenerationKey, Pending> pending = new ConcurrentHashMap<>();

  /** {@code missed} counts missed evictions, so that a drop sent before the latest one does not clear it. */
  @Value
  private static class Pending {
    String cachedName;
    AtomicInteger missed;
    AtomicBoolean dropping;
  }

  MissedEvictions(CacheStore store) {
    this.store = store;
  }

  /** Records that an eviction from the method with this generation key did not reach the store. */
  void record(GenerationKey generationKey, String cachedName, Throwable why) {
    boolean[] first = {false};
    pending.compute(generationKey, (key, existing) -> {
      first[0] = existing == null;
      Pending current = first[0] ? new Pending(cachedName, new AtomicInteger(), new AtomicBoolean()) : existing;
      current.missed().incrementAndGet();
      return current;
    });
    if (first[0]) {
      retryLater();
      AgentLog.warn("missed-eviction:" + generationKey, "an eviction from " + cachedName + " was not written ("
          + why.getMessage() + "); its entries are not served until all of them are dropped, as soon as redis answers");
    }
  }

  /** Whether no method waits for a drop: the one check on the hot path while all is well. */
  boolean isEmpty() {
    return pending.isEmpty();
  }

  /**
   * Sampled before a read of the method with this generation key: whether a drop of its entries is
   * pending then. A drop confirmed while the read is in flight does not make the read's answer current.
   */
  boolean pendingBefore(GenerationKey generationKey) {
    return !isEmpty() && isPending(generationKey);
  }

  /**
   * After a read the store answered, which {@link #pendingBefore} sampled: sends the drops pending,
   * and tells whether the read's answer may predate a drop of the method's entries, and so must not
   * be served.
   */
  boolean readMayBeStale(GenerationKey generationKey, boolean pendingBefore) {
    if (!pendingBefore && isEmpty()) {
      return false;
    }
    boolean mayBeStale = pendingBefore || isPending(generationKey); // before the drop: the read predates it
    sendDrops();
    return mayBeStale;
  }

  /** Whether entries of the method with this generation key must not be served yet. */
  boolean isPending(GenerationKey generationKey) {
    return pending.containsKey(generationKey);
  }

  /**
   * Sends the drop of every pending method that has none in flight; called once the store answers
   * reads, and when the JVM exits. Returns the drops sent.
   */
  List<CompletableFuture<?>> sendDrops() {
    List<CompletableFuture<?>> sent = new ArrayList<>();
    pending.forEach((generationKey, method) -> {
      if (method.dropping().compareAndSet(false, true)) {
        int missedBefore = method.missed().get();
        CompletableFuture<?> drop = Generations.dropAll(store, generationKey);
        sent.add(drop);
        drop.whenComplete((ok, failure) -> {
          if (failure == null && clear(generationKey, missedBefore)) {
            AgentLog.resolved("missed-eviction:" + generationKey);
            AgentLog.info("dropped every entry of " + method.cachedName() + " after a missed eviction; it is cached again");
          } else {
            method.dropping().set(false);
            retryLater();
          }
        });
      }
    });
    return sent;
  }

  /** Sends the pending drops again in a second, unless a retry is already scheduled. */
  private void retryLater() {
    if (!retryScheduled.compareAndSet(false, true)) {
      return;
    }
    retries.schedule(() -> {
      retryScheduled.set(false);
      if (!pending.isEmpty()) {
        sendDrops();
      }
    }, 1, TimeUnit.SECONDS);
  }

  /** Forgets a method after its drop, unless it missed another eviction since the drop was sent. */
  private boolean clear(GenerationKey generationKey, int missedBefore) {
    boolean[] cleared = {false};
    pending.computeIfPresent(generationKey, (key, method) -> {
      cleared[0] = method.missed().get() == missedBefore;
      return cleared[0] ? null : method;
    });
    return cleared[0];
  }
}
