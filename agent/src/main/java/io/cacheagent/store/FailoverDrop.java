package io.cacheagent.store;

import io.cacheagent.jdk.Futures;
import io.cacheagent.logging.AgentLog;
import io.cacheagent.threads.AgentThreads;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The drop of every entry after a reconnect to another server process than before (see
 * ServerIdentity): sent at once, again every second until Redis confirms it, and pending until
 * then. A newer failover's drop replaces an older one still pending: only its confirmation ends it.
 */
final class FailoverDrop {

  /** What drops the entries of the keys it is given a test for; set by the runtime. */
  private volatile Function<Predicate<String>, CompletableFuture<?>> dropEntries;
  /** Counts the drops started: a drop confirmed after a newer one started ends nothing. */
  private final AtomicLong started = new AtomicLong();
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
    send(started.incrementAndGet(), whenConfirmed);
  }

  private void send(long drop, Runnable whenConfirmed) {
    if (drop != started.get()) {
      return; // a newer drop took over
    }
    Function<Predicate<String>, CompletableFuture<?>> action = dropEntries;
    CompletableFuture<?> drops;
    try {
      // No action yet: the agent registers it before any call can read, so there is nothing to drop.
      drops = action == null ? CompletableFuture.completedFuture(null) : action.apply(key -> true);
    } catch (RuntimeException e) {
      drops = Futures.failed(e);
    }
    drops.whenComplete((ok, failure) -> {
      if (drop != started.get()) {
        return;
      }
      if (failure == null) {
        whenConfirmed.run();
        pending = false;
      } else {
        AgentLog.warn("failover-drop", "could not drop every entry after the failover (" + RedisStore.rootMessage(failure)
            + "); calls run uncached, retrying every second");
        AgentThreads.afterDelay(1, TimeUnit.SECONDS).execute(() -> send(drop, whenConfirmed));
      }
    });
  }
}
