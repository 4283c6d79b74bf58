package io.cacheagent.runtime;

import io.cacheagent.bootstrap.Hit;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/*
 * Concurrent misses of one key of a method that returns a future share one load, and none waits
 * for it: a call that misses while another call's load of the key is in flight gets a future at
 * once. When that load's future completed and its value was stored, the call's future completes
 * with its own copy, decoded from the stored entry, as a waiting follower's would (InFlightLoads).
 *
 * Where the load gives nothing to share (its future failed or was cancelled, its value could not
 * be encoded, it ran in a transaction) or has not completed within the method's follower wait, the
 * call runs the method itself, as it would have without the agent: again, uncached (CallAgain), on
 * an agent thread with the caller's context class loader (and none of its other thread locals),
 * and its future completes as that call's does. Where this agent may not call the method again, or the caller's
 * thread is in a transaction (its caller's, or one a proxy began for the method: a call made again
 * on another thread would run outside it) or an open persistence context, the call runs the method
 * at once, uncached.
 */
final class FutureFollowers {

  /** A future for a call that missed {@code key} while {@code load} is in flight; {@code null}: run the method now, uncached. */
  Hit follow(CachedMethod method, int methodId, String key, InFlightLoads.Load load, InFlightLoads loads, Object self, Object[] args) {
    MethodHandle again = method.callAgain();
    if (again == null || method.transactions().inTransaction() || method.transactions().persistenceContextOutlivesCall()) {
      return null;
    }
    CompletableFuture<byte[]> shared = loads.whenDone(load, method.followerWaitNanos());
    if (shared == null) {
      return null; // the load has run longer than the wait already
    }
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    CompletableFuture<Object> callers = new CompletableFuture<>();
    shared.whenComplete((entry, failure) -> {
      try {
        Hit hit = entry == null ? null : Entries.decodeLoaded(method, key, entry, self);
        if (hit != null && hit != Entries.NOT_SERVABLE) {
          method.stats.coalesced.increment();
          callers.complete(hit.value);
          return;
        }
        if (hit == null) {
          method.stats.uncached.increment(); // NOT_SERVABLE was counted as managed
        }
        CallAgain.soon(() -> runItself(again, methodId, self, args, context, callers));
      } catch (Throwable t) { // never leave the caller's future incomplete
        callers.completeExceptionally(t);
      }
    });
    return new Hit(callers);
  }

  /** The call the caller would have made, made now: {@code callers} completes as its future does. */
  private static void runItself(MethodHandle again, int methodId, Object self, Object[] args, ClassLoader context,
      CompletableFuture<Object> callers) {
    Thread thread = Thread.currentThread();
    ClassLoader before = thread.getContextClassLoader();
    thread.setContextClassLoader(context);
    try {
      Object own = CallAgain.call(again, methodId, self, args, null);
      if (own instanceof CompletionStage<?>) {
        FutureRelay.relay((CompletionStage<?>) own, callers, (value, failure) -> {});
      } else {
        callers.completeExceptionally(new NullPointerException("the method returned null instead of a future"));
      }
    } catch (Throwable t) { // what the call would have thrown to its caller
      callers.completeExceptionally(t);
    } finally {
      thread.setContextClassLoader(before);
    }
  }
}
