package io.cacheagent.store;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The drop of every entry after a reconnect to another server than the one lost (a Sentinel
 * failover): sent at once, again every second until Redis confirms it, and pending until then.
 */
final class FailoverDrop {

  /** What drops the entries of the keys it is given a test for; set by the runtime. */
  private volatile Function<Predicate<String>, CompletableFuture<?>> dropEntries;
  private volatile boolean pending;

  void dropEntriesWith(Function<Predicate<String>, CompletableFuture<?>> action) {
    dropEntries = action;
  }

  /** Whether a drop has not been confirmed yet: reads must not go to Redis. */
  boolean isPending() {
    return pending;
  }

  /** Sends the drop of every entry, and runs {@code whenConfirmed} once Redis confirmed it. */
  void start(Runnable whenConfirmed) {
    pending = true;
    send(whenConfirmed);
  }

  private void send(Runnable whenConfirmed) {
    Function<Predicate<String>, CompletableFuture<?>> action = dropEntries;
    CompletableFuture<?> drops;
    try {
      drops = action == null ? CompletableFuture.failedFuture(new IllegalStateException("not started yet")) : action.apply(key -> true);
    } catch (RuntimeException e) {
      drops = CompletableFuture.failedFuture(e);
    }
    drops.whenComplete((ok, failure) -> {
      if (failure == null) {
        whenConfirmed.run();
        pending = false;
      } else {
        CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS).execute(() -> send(whenConfirmed));
      }
    });
  }
}
