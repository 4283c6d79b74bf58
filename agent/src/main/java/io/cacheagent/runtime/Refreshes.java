package io.cacheagent.runtime;

import io.cacheagent.codec.ValueCodec;
import io.cacheagent.logging.AgentLog;
import io.cacheagent.store.CacheStore;
import io.cacheagent.threads.AgentThreads;
import java.lang.invoke.MethodHandle;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/*
 * refreshAhead: a hit on an entry past that share of its life returns the entry, and reloads it in
 * the background, so that a key in use is replaced before it expires instead of making a caller
 * wait for its load.
 *
 * When. An entry of a method with refreshAhead says when a hit should reload it (format 2, see
 * ValueCodec): written at, plus that share of its own ttl, jitter included. So a hit decides
 * without a round trip; clocks of JVMs that differ by seconds shift that time by as much.
 *
 * Once per key. This JVM reloads a key once at a time; across JVMs, the one that takes a Redis
 * lease on the key (SET key#refresh NX PX) reloads it, and the others serve the entry meanwhile.
 * The lease lasts the rest of the entry's life at most: a JVM that dies while it reloads costs a
 * miss when the entry expires, as without refreshAhead.
 *
 * What is stored. The reload calls the method itself (CallAgain) with the hit's instance and
 * arguments, on an agent thread with the hit caller's context class loader. Its lookup answers a
 * miss whose store is a compare-and-set over exactly the bytes the hit read: a write meanwhile
 * left a tombstone there, a drop a new generation, and either wins. A reload whose arguments no
 * longer give the key the hit had (an argument the caller changed since) runs uncached.
 *
 * It runs outside the caller's thread: no transaction, security context or request scope of the
 * caller's, and not through a proxy of the instance (Spring's @Transactional). Hence opt-in.
 */
final class Refreshes {

  /** Agent threads that run reloads: the most that run at once. */
  static final int THREADS = 2;
  /** Reloads that wait for a thread at most; a hit past them reloads nothing (its entry expires as without refreshAhead). */
  static final int WAITING = 1000;

  private final CacheStore store;
  private final LongSupplier nanoClock;
  private final LongSupplier wallClock;
  /** The keys this JVM is reloading. */
  private final Set<String> running = ConcurrentHashMap.newKeySet();
  private volatile ThreadPoolExecutor threads;

  Refreshes(CacheStore store, LongSupplier nanoClock, LongSupplier wallClock) {
    this.store = store;
    this.nanoClock = nanoClock;
    this.wallClock = wallClock;
  }

  /**
   * A hit of {@code methodId} on {@code entry} under {@code key}, read at {@code readNanos} with
   * {@code generation}: reloads it in the background if it is past its refresh time and no reload
   * of the key runs here.
   */
  void onHit(CachedMethod method, int methodId, String key, long generation, byte[] entry, Object self, Object[] args, long readNanos) {
    if (wallClock.getAsLong() < ValueCodec.refreshAtOf(entry) || !running.add(key)) {
      return;
    }
    MethodHandle again = method.callAgain();
    if (again == null) {
      running.remove(key);
      AgentLog.warn("refresh-cannot:" + method.name, method.name + ": refreshAhead cannot call the method from the agent"
          + " (its module does not open its package to it); its entries expire as without refreshAhead");
      return;
    }
    MissResults.Miss miss = new MissResults.Miss(key, generation, entry, null, null, readNanos, method.rule.ttl(), nanoClock.getAsLong());
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    try {
      threads().execute(() -> reload(method, methodId, again, miss, self, args, context));
    } catch (RejectedExecutionException e) {
      running.remove(key); // busy: this one expires as without refreshAhead
    }
  }

  private void reload(CachedMethod method, int methodId, MethodHandle again, MissResults.Miss miss, Object self, Object[] args,
      ClassLoader context) {
    String leaseKey = miss.key() + "#refresh";
    byte[] token = Leases.newToken();
    boolean released = true;
    Thread thread = Thread.currentThread();
    try {
      if (store.tryLease(leaseKey, token, leaseOf(method)) != CacheStore.Lease.TAKEN) {
        return; // another JVM reloads it, or Redis does not answer
      }
      released = false;
      thread.setContextClassLoader(context);
      Object result = CallAgain.call(again, methodId, self, args, miss);
      if (result instanceof CompletionStage<?> future && method.returnsFuture) {
        future.whenComplete((value, failure) -> store.release(leaseKey, token)); // stored once it completes
        released = true;
      }
    } catch (Throwable t) {
      AgentLog.warn("refresh-failed:" + method.name + ":" + t.getClass().getName(), method.name + ": a refresh ahead threw "
          + t + "; the entry is served until it expires, and the next hit past its refresh time tries again");
    } finally {
      thread.setContextClassLoader(null);
      running.remove(miss.key());
      if (!released) {
        store.release(leaseKey, token);
      }
    }
  }

  /** The rest of an entry's life at its refresh time, at least a second: how long another JVM may take the reload for. */
  private static Duration leaseOf(CachedMethod method) {
    long rest = (long) (method.rule.ttl().toMillis() * (1 - method.rule.refreshAhead()));
    return Duration.ofMillis(Math.max(1000, rest));
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
}
