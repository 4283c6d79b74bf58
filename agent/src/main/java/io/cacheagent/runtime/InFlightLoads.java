package io.cacheagent.runtime;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/*
 * Stampede protection inside one JVM: concurrent misses of the same key run the method once.
 *
 * The first miss of a key leads: it runs the method, and when it returns, hands the encoded result
 * to everyone who missed the same key meanwhile. Each of them decodes its own copy, so no two
 * callers ever share one mutable object, as without the agent. Per key, no global lock; waiting is
 * a CompletableFuture park, which does not pin a virtual thread.
 *
 * A follower runs the method itself when the leader threw, returned something that cannot be
 * encoded, or has not returned within MAX_WAIT (a stuck leader must not stop the others for
 * longer), when it is the leader itself (a recursive call), and when it leads a load of its own
 * (two loads that wait for each other would both stall). A load that an eviction overtook
 * is detached first: a call that starts after a write must not receive a value loaded before it.
 */
final class InFlightLoads {

  /** Longest a follower waits for the leader before it runs the method itself: 10 seconds. */
  static final long MAX_WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);

  /** One load in flight; completes with the encoded result, or {@code null} when followers must run it themselves. */
  static final class Load {
    final Thread leader = Thread.currentThread();
    final long startedNanos = System.nanoTime();
    /** Of the cached method, which {@code all: true} evictions name. */
    final String generationKey;
    /** The Redis lease the leader took for this load (stampedeLock), if any. */
    volatile byte[] leaseToken;
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();

    Load(String generationKey) {
      this.generationKey = generationKey;
    }

    /** Whether some caller waits for this load (an estimate: one may be about to). */
    boolean hasFollowers() {
      return result.getNumberOfDependents() > 0;
    }
  }

  /** Loads the current thread leads and has not finished: while there are any, it never waits for another. */
  private static final ThreadLocal<int[]> LEADING = ThreadLocal.withInitial(() -> new int[1]);

  private final Map<String, Load> loads = new ConcurrentHashMap<>();

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
   */
  Load join(String key, String generationKey) {
    Load mine = new Load(generationKey);
    Load current = loads.putIfAbsent(key, mine);
    if (current == null) {
      return mine;
    }
    if (System.nanoTime() - current.startedNanos > MAX_WAIT_NANOS && loads.replace(key, current, mine)) {
      return mine; // the leader never finished: a bug, or a thread that died; take over
    }
    return current;
  }

  /** Whether the current thread leads {@code load}. */
  static boolean leads(Load load) {
    return load.leader == Thread.currentThread();
  }

  /** The leader's encoded result, or {@code null} when the caller must run the method itself. */
  static byte[] await(Load load) {
    long left = MAX_WAIT_NANOS - (System.nanoTime() - load.startedNanos);
    try {
      return left <= 0 ? null : load.result.get(left, TimeUnit.NANOSECONDS);
    } catch (TimeoutException | ExecutionException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
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
