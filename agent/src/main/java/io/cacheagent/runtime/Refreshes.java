package io.cacheagent.runtime;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.cacheagent.codec.ValueCodec;
import io.cacheagent.key.UnstableArgumentException;
import io.cacheagent.logging.AgentLog;
import io.cacheagent.store.CacheStore;
import io.cacheagent.threads.AgentThreads;
import java.lang.invoke.MethodHandle;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import lombok.Value;

/*
 * refreshAhead: a hit on an entry past that share of its life returns the entry, and reloads it in
 * the background, so that a key in use is replaced before it expires instead of making a caller
 * wait for its load.
 *
 * When. An entry of a method with refreshAhead says when a hit should reload it (format 2, see
 * ValueCodec): written at, plus that share of its own ttl, jitter included. So a hit decides
 * without a round trip; clocks of JVMs that differ by seconds shift that time by as much.
 *
 * Once per key. A key is reloaded at most once per lease time: the share of the ttl before or
 * after the refresh time, whichever is shorter, at least a second. Across JVMs, the one that takes
 * a Redis lease on the key (SET key#refresh NX PX) reloads it; the lease is never released, so a
 * reload that failed, or stored nothing, is not tried again on every hit. In this JVM, a key whose
 * reload began here or whose lease another JVM held is left alone as long (no round trip per hit).
 *
 * What is stored. The reload calls the method itself (CallAgain) with the hit's instance and
 * arguments, on an agent thread with the hit caller's context class loader. Its lookup answers a
 * Reload, whose store is a compare-and-set over exactly the bytes the hit read: a write meanwhile
 * left a tombstone there, a drop a new generation, and either wins. Format 2 entries carry the
 * time they were written, so bytes seen once never come back (no ABA). A reload whose arguments
 * do not give the hit's key, when it starts or when the method returned (an argument object the
 * caller changed since), stores nothing.
 *
 * It runs outside the caller's thread: no transaction, security context or request scope of the
 * caller's, and not through a proxy of the instance (Spring's @Transactional). Hence opt-in.
 */
final class Refreshes {

  /** Agent threads that run reloads: the most that run at once. */
  static final int THREADS = 2;
  /** Reloads that wait for a thread at most; a hit past them reloads nothing (its entry expires as without refreshAhead). */
  static final int WAITING = 1000;
  /** Keys this JVM remembers as reloaded or leased elsewhere at most; past them, the least recent are forgotten. */
  static final int REMEMBERED = 100_000;

  /** A reload's call: the miss whose store replaces the hit's bytes, and what its key was computed from. */
  @Value
  static class Reload {
    MissResults.Miss miss;
    Object self;
    Object[] args;

    /** Whether the call's arguments still give the key the hit had. */
    boolean keyUnchanged(CachedMethod method) {
      try {
        return method.keyFor(method.keys, self, args).equals(miss.key());
      } catch (UnstableArgumentException | RuntimeException e) {
        return false;
      }
    }
  }

  private final CacheStore store;
  private final MissResults results;
  private final LongSupplier nanoClock;
  private final LongSupplier wallClock;
  /** The keys not to reload before their lease time has passed, with that time in nanoseconds. */
  private final Cache<String, Long> leftAlone = Caffeine.newBuilder().maximumSize(REMEMBERED)
      .expireAfter(new UntilLeaseEnds()).build();
  private volatile ThreadPoolExecutor threads;

  Refreshes(CacheStore store, MissResults results, LongSupplier nanoClock, LongSupplier wallClock) {
    this.store = store;
    this.results = results;
    this.nanoClock = nanoClock;
    this.wallClock = wallClock;
  }

  /**
   * A hit of {@code methodId} on {@code entry} under {@code key}, read at {@code readNanos} with
   * {@code generation}: reloads it in the background if it is past its refresh time and the key
   * is not left alone. Never throws: the hit is served whatever happens here.
   */
  void onHit(CachedMethod method, int methodId, String key, long generation, byte[] entry, Object self, Object[] args, long readNanos) {
    try {
      if (wallClock.getAsLong() < ValueCodec.refreshAtOf(entry)) {
        return;
      }
      Duration lease = leaseOf(method);
      if (leftAlone.asMap().putIfAbsent(key, lease.toNanos()) != null) {
        return;
      }
      MethodHandle again = method.callAgain();
      if (again == null) {
        AgentLog.warn("refresh-cannot:" + method.name, method.name + ": refreshAhead cannot call the method from the agent"
            + " (its module does not open its package to it); its entries expire as without refreshAhead");
        return;
      }
      MissResults.Miss miss = new MissResults.Miss(key, generation, entry, null, null, readNanos, method.rule.ttl(), nanoClock.getAsLong());
      Reload reload = new Reload(miss, self, args);
      ClassLoader context = Thread.currentThread().getContextClassLoader();
      threads().execute(() -> reload(method, methodId, again, reload, lease, context));
    } catch (Throwable t) { // busy (WAITING reloads), or no thread could be made: this one expires as without refreshAhead
      leftAlone.invalidate(key);
    }
  }

  private void reload(CachedMethod method, int methodId, MethodHandle again, Reload reload, Duration lease, ClassLoader context) {
    Thread thread = Thread.currentThread();
    try {
      if (store.tryLease(reload.miss().key() + "#refresh", Leases.newToken(), lease) != CacheStore.Lease.TAKEN) {
        return; // another JVM reloads it, or Redis does not answer
      }
      thread.setContextClassLoader(context);
      method.stats.refreshes.increment();
      CallAgain.call(again, methodId, reload.self(), reload.args(), reload);
    } catch (Throwable t) {
      method.stats.refreshFailures.increment();
      AgentLog.warn("refresh-failed:" + method.name + ":" + t.getClass().getName(), method.name + ": a refresh ahead threw "
          + t + "; the entry is served until it expires, and no reload of it is tried for " + lease.toMillis() + " ms");
    } finally {
      thread.setContextClassLoader(null);
    }
  }

  /** What a reload's call returns: {@code result}, stored over the hit's bytes unless the key changed. */
  Object complete(CachedMethod method, Reload reload, Object result) {
    if (!reload.keyUnchanged(method)) {
      return result;
    }
    if (method.returnsFuture) {
      return results.storeWhenComplete(method, reload.miss(), result, false);
    }
    results.storeOver(method, reload.miss(), result);
    return result;
  }

  /**
   * How long a key is not reloaded again, here and in other JVMs: the share of the ttl before or
   * after the refresh time, whichever is shorter (a reload stores an entry whose refresh time is
   * that share of the ttl later; the entry it replaces ends the rest of the ttl later), at least a
   * second.
   */
  private static Duration leaseOf(CachedMethod method) {
    double share = method.rule.refreshAhead();
    long millis = (long) (method.rule.ttl().toMillis() * Math.min(share, 1 - share));
    return Duration.ofMillis(Math.max(1000, millis));
  }

  private ThreadPoolExecutor threads() {
    ThreadPoolExecutor current = threads;
    if (current == null) {
      synchronized (this) {
        current = threads;
        if (current == null) {
          AtomicInteger count = new AtomicInteger();
          current = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(WAITING),
              task -> AgentThreads.daemon("refresh-" + count.incrementAndGet(), task));
          current.allowCoreThreadTimeOut(true);
          threads = current;
        }
      }
    }
    return current;
  }

  /** Keeps each key of {@code leftAlone} for the nanoseconds stored with it (Caffeine 2.9 lacks Expiry.creating). */
  private static final class UntilLeaseEnds implements Expiry<String, Long> {
    @Override
    public long expireAfterCreate(String key, Long nanos, long currentTime) {
      return nanos;
    }

    @Override
    public long expireAfterUpdate(String key, Long nanos, long currentTime, long currentDuration) {
      return currentDuration;
    }

    @Override
    public long expireAfterRead(String key, Long nanos, long currentTime, long currentDuration) {
      return currentDuration;
    }
  }
}
