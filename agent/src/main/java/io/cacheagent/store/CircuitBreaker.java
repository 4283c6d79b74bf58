package io.cacheagent.store;

import io.cacheagent.logging.AgentLog;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/*
 * Stops paying the command timeout while Redis does not answer.
 *
 * Closed: every read goes to Redis. After FAILURES_TO_OPEN consecutive reads that timed out or
 * failed, the breaker opens: reads answer "unavailable" at once, so calls run uncached without
 * waiting. After the open period one read is let through as a probe; if it succeeds the breaker
 * closes, if not it stays open for another period. (RedisStore logs the recovery.)
 */
final class CircuitBreaker {

  /** Consecutive failed reads that open the breaker. */
  static final int FAILURES_TO_OPEN = 3;

  /** How long the breaker stays open before a probe: one second. */
  static final long OPEN_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final LongSupplier clock;
  private final String target;
  private final AtomicInteger consecutiveFailures = new AtomicInteger();
  private final AtomicBoolean probing = new AtomicBoolean();
  private volatile boolean open;
  private volatile long openUntil;

  CircuitBreaker(String target, LongSupplier nanoClock) {
    this.target = target;
    this.clock = nanoClock;
  }

  /** Whether a read may go to Redis now. */
  boolean allowRequest() {
    if (!open) {
      return true;
    }
    return clock.getAsLong() - openUntil >= 0 && probing.compareAndSet(false, true);
  }

  void success() {
    consecutiveFailures.set(0);
    if (open) {
      open = false;
      probing.set(false);
      AgentLog.resolved("breaker-open");
    }
  }

  /** Redis answered something other than a read (a write, a new connection): closes the breaker if it is open. */
  void closeIfOpen() {
    if (open) {
      success();
    }
  }

  void failure() {
    if (open) {
      openUntil = clock.getAsLong() + OPEN_NANOS;
      probing.set(false);
    } else if (consecutiveFailures.incrementAndGet() >= FAILURES_TO_OPEN) {
      openUntil = clock.getAsLong() + OPEN_NANOS;
      open = true;
      AgentLog.warn("breaker-open", target + " failed " + FAILURES_TO_OPEN + " reads in a row; calls run uncached without"
          + " waiting for it, and one read a second checks whether it is back");
    }
  }

  boolean isOpen() {
    return open;
  }
}
