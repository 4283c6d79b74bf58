package io.cacheagent.runtime;

import io.cacheagent.threads.AgentThreads;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/*
 * Stampede protection inside one JVM: concurrent misses of the same key run the method once.
 *
 * The first miss of a key leads: it runs the method, and when it returns, hands the encoded result
 * to everyone who missed the same key meanwhile. Each of them decodes its own copy, so no two
 * callers ever share one mutable object, as without the agent. Per key, no global lock; waiting is
 * a CompletableFuture park, which does not pin a virtual thread.
 *
 * A follower of a method that returns a future does not wait: see FutureFollowers.
 *
 * A follower runs the method itself when the leader threw, returned something that cannot be
 * encoded, or has not returned within about as long as the method's loads take (twice its p99,
 * see CachedMethod#followerWaitNanos: a stuck leader, or one that waits for a lock the follower
 * holds, must not stop the others for longer), when it is the leader itself (a recursive call),
 * and when it leads a load of its own (two loads that wait for each other would both stall).
 *
 * A call that starts after a write must not receive a value loaded before it. A load that an
 * eviction of this JVM overtook is detached at once. A write of another JVM, or a drop, shows in
 * Redis: a call that found other bytes under the key, or another generation, than the leader found
 * when it started does not join that load but starts its own.
 */
final class InFlightLoads {

  /** Longest a follower ever waits for the leader before it runs the method itself: 10 seconds. */
  static final long MAX_WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);

  /** One load in flight; completes with the encoded result, or {@code null} when followers must run it themselves. */
  static final class Load {
    final Thread leader = Thread.currentThread();
    final long startedNanos;
    /** Of the cached method, which {@code all: true} evictions name. */
    final String generationKey;
    /**
     * What the leader found in Redis: the bytes under the key ({@code null}: none), and the
     * generation ({@link Generations#NONE}: none); and the generation its entry is stored under (the one it found, or
     * made up when there was none).
     */
    private final byte[] seen;
    private final long found;
    private final long generation;
    /**
     * Set once the leader's method returned or threw. The load of a future goes on until the future
     * completes, and a later call on the leader's thread (an event loop's) then shares it.
     */
    volatile boolean leaderReturned;
    /** The Redis lease the leader took for this load (stampedeLock), if any. */
    volatile byte[] leaseToken;
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();

    Load(long startedNanos, String generationKey, byte[] seen, long found, long generation) {
      this.startedNanos = startedNanos;
      this.generationKey = generationKey;
      this.seen = seen;
      this.found = found;
      this.generation = generation;
    }

    /**
     * Whether a caller that found {@code otherSeen} and {@code otherFound} found what this load's
     * leader found. A generation the leader made up counts as found: setting it dropped nothing,
     * and callers that found none at the same time as the leader made up others.
     */
    boolean foundTheSame(byte[] otherSeen, long otherFound) {
      return (otherFound == found || otherFound == generation) && Arrays.equals(seen, otherSeen);
    }
  }

  /** Loads the current thread leads and has not finished: while there are any, it never waits for another. */
  private static final ThreadLocal<int[]> LEADING = ThreadLocal.withInitial(() -> new int[1]);

  private final Map<String, Load> loads = new ConcurrentHashMap<>();
  /** {@code System.nanoTime}, or a test's clock. */
  private final LongSupplier nanoClock;

  InFlightLoads(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
  }

  /** The current thread starts running a method for a load it leads. */
  static void started() {
    LEADING.get()[0]++;
  }

  /** The current thread's method returned or threw. */
  static void ended() {
    int[] leading = LEADING.get();
    leading[0] = Math.max(0, leading[0] - 1);
  }

  /**
   * Whether the current thread is running a method for a load it leads. Such a thread never
   * waits for another load: that load's leader may be waiting for this thread's (two methods
   * that call each other, or a lock or connection it holds), and both would stall.
   */
  static boolean leadsAny() {
    return LEADING.get()[0] > 0;
  }

  /**
   * Joins the load of {@code key}: returns a new load that this caller leads (and must {@link
   * #finish}), or the load already in flight, to {@link #await}.
   *
   * @param seen the bytes the caller found under the key ({@code null}: none)
   * @param found the generation the caller found ({@link Generations#NONE}: none)
   * @param generation the generation its entry would be stored under: {@code found}, or one it made up
   * @param staleAfterNanos how long after it began a load is taken for one that will never finish,
   *     and the caller leads a new one: at most {@link #MAX_WAIT_NANOS}
   */
  Load join(String key, String generationKey, byte[] seen, long found, long generation, long staleAfterNanos) {
    Load mine = new Load(nanoClock.getAsLong(), generationKey, seen, found, generation);
    while (true) {
      Load current = loads.putIfAbsent(key, mine);
      if (current == null) {
        return mine;
      }
      // Redis changed since the leader looked (a write, a drop), or the leader never finished (a
      // bug, a thread that died): this caller loads for itself and for the calls that follow it.
      boolean stale = !current.foundTheSame(seen, found)
          || nanoClock.getAsLong() - current.startedNanos > Math.min(staleAfterNanos, MAX_WAIT_NANOS);
      if (!stale) {
        return current;
      }
      if (loads.replace(key, current, mine)) {
        return mine;
      }
    }
  }

  /** Whether the current thread leads {@code load}: it began it, and its method has not returned (a recursive call). */
  static boolean leads(Load load) {
    return load.leader == Thread.currentThread() && !load.leaderReturned;
  }

  /**
   * The leader's encoded result, or {@code null} when the caller must run the method itself: the
   * leader failed, or has not finished {@code waitNanos} after it started.
   */
  byte[] await(Load load, long waitNanos) {
    long left = leftToWait(load, waitNanos);
    try {
      return left <= 0 ? null : load.result.get(left, TimeUnit.NANOSECONDS);
    } catch (TimeoutException | ExecutionException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /**
   * The leader's encoded result, without waiting for it: a future that completes with what
   * {@link #await} would return; {@code null} when the wait is over already.
   */
  CompletableFuture<byte[]> whenDone(Load load, long waitNanos) {
    long left = leftToWait(load, waitNanos);
    if (left <= 0) {
      return null;
    }
    CompletableFuture<byte[]> copy = load.result.thenApply(entry -> entry); // completing it leaves the load's own alone
    ScheduledFuture<?> timeout = AgentThreads.schedule(() -> copy.complete(null), left, TimeUnit.NANOSECONDS);
    copy.whenComplete((entry, failure) -> timeout.cancel(false)); // it would keep the entry until the wait is over
    return copy;
  }

  private long leftToWait(Load load, long waitNanos) {
    return Math.min(waitNanos, MAX_WAIT_NANOS) - (nanoClock.getAsLong() - load.startedNanos);
  }

  /** Ends a load: its followers get {@code entry} ({@code null}: they run the method themselves). */
  void finish(String key, Load load, byte[] entry) {
    loads.remove(key, load);
    load.result.complete(entry);
  }

  /** Detaches the load of {@code key}, if any, so that later misses start a load of their own. */
  void evicted(String key) {
    loads.remove(key);
  }

  /** Detaches every load of the method with this generation key (an {@code all: true} eviction). */
  void evictedAll(String generationKey) {
    loads.values().removeIf(load -> load.generationKey.equals(generationKey));
  }
}
