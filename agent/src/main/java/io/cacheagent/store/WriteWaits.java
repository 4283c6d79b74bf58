package io.cacheagent.store;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * How a write method waits for Redis to confirm its evictions: at most the command timeout, and
 * not at all for a second after such a wait timed out, so that a hung Redis does not cost every
 * write a timeout. Waiting resumes as soon as Redis answers again, when a write that does not
 * wait could be overtaken by another JVM's read.
 */
final class WriteWaits {

  private final long timeoutNanos;
  /** Until when write methods do not wait, after one waited in vain. */
  private volatile long resumeNanos = System.nanoTime();

  WriteWaits(long timeoutNanos) {
    this.timeoutNanos = timeoutNanos;
  }

  /** Waits for {@code writes}, whatever the thread's interrupt flag (which is kept). */
  void await(List<CompletableFuture<?>> writes) {
    long now = System.nanoTime();
    if (now - resumeNanos < 0) {
      return;
    }
    long deadline = now + timeoutNanos;
    for (CompletableFuture<?> write : writes) {
      try {
        Uninterruptibly.get(write, deadline);
      } catch (TimeoutException e) {
        // Redis hangs: the writes of the next second do not wait (a JVM that only writes has no
        // reads to open the circuit breaker). Each is a missed eviction, made good where it was sent.
        resumeNanos = System.nanoTime() + CircuitBreaker.OPEN_NANOS;
        return;
      } catch (ExecutionException e) {
        // refused: a missed eviction, reported and made good where it was sent
      }
    }
  }

  /** Redis answered: write methods wait for their evictions again. */
  void resume() {
    long now = System.nanoTime();
    if (now - resumeNanos < 0) {
      resumeNanos = now;
    }
  }
}
