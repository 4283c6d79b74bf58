package io.cacheagent.store;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waits that an interrupt does not cut short. The interrupt flag is the application's (set after
 * {@code Future.cancel(true)}, say), not a verdict on Redis: a lookup that gave up on it would run
 * uncached and count as a failure of Redis. So the wait goes on, and the flag is set again after it,
 * for the application to act on at its own next blocking call.
 */
final class Uninterruptibly {

  private Uninterruptibly() {}

  /** {@code future}'s value, waited for until {@code deadlineNanos} ({@code System.nanoTime}). */
  static <T> T get(Future<T> future, long deadlineNanos) throws TimeoutException, ExecutionException {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return future.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
