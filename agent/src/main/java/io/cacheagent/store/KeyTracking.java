package io.cacheagent.store;

import io.cacheagent.logging.AgentLog;
import io.cacheagent.threads.AgentThreads;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/*
 * Redis's server-assisted invalidation (CLIENT TRACKING), for the near caches: Redis pushes an
 * "invalidate" message on a tracked connection when a key changes (any client's write, its expiry
 * or eviction, a flush). ServerTracking does it on the one connection to a single server or
 * Sentinel's master; ClusterTracking on a connection of its own to each master of a cluster.
 *
 * What Redis tracked ends with the connection. At a disconnect every copy becomes void (the epoch
 * moves), for changes made meanwhile are told to nobody. The heartbeat turns tracking on wherever
 * it is not: at the start, after each reconnect, and after a CLIENT TRACKING that failed.
 *
 * A connection can die without a reset (a cut cable, a partition, a paused Redis): no message
 * comes, and nothing says so. So a PING goes out every HEARTBEAT on each tracked connection, and
 * copies are served only while the newest answered one was sent less than HEARTBEAT plus the
 * command timeout ago. Redis queues the message of a change on the tracked connection before it
 * sends the writer its reply, and answers a PING after what it queued before: once a PING sent
 * after a write returned is answered, that write's message has come. So no copy outlives a write
 * that returned to another JVM by more than HEARTBEAT plus the command timeout, even in a JVM cut
 * off from Redis or whose threads stall.
 *
 * Once no near cache is left (a reload or an operator took every nearCache off), the heartbeat
 * stops and Redis is told to stop tracking: nothing would hear its messages. The next near cache
 * starts both again, under a new epoch.
 */
abstract class KeyTracking implements Invalidations {

  /** How often each tracked connection is checked by a PING while near caches are in use. */
  static final Duration HEARTBEAT = Duration.ofMillis(200);

  /** How long ago the newest answered PING may have been sent for copies to be served. */
  final long staleNanos;
  private final BooleanSupplier circuitOpen;
  private final AtomicLong epoch = new AtomicLong();
  private volatile Listener listener;
  private volatile ScheduledExecutorService heartbeat;
  private volatile boolean closed;

  /** {@code circuitOpen}: while it says so, no copy is served, as no read goes to Redis. */
  KeyTracking(Duration commandTimeout, BooleanSupplier circuitOpen) {
    this.staleNanos = HEARTBEAT.toNanos() + commandTimeout.toNanos();
    this.circuitOpen = circuitOpen;
  }

  @Override
  public final long epoch(long nowNanos) {
    return circuitOpen.getAsBoolean() || !isTelling(nowNanos) ? -1 : epoch.get();
  }

  /** Whether every connection that may carry a change is tracked and answered a PING recently enough. */
  abstract boolean isTelling(long nowNanos);

  /** Every HEARTBEAT once started: tracking turned on where it is not, and a PING on each tracked connection. */
  abstract void beat();

  /** No near cache is left: Redis stops tracking on every connection, until a beat turns it on again. */
  abstract void stopTracking();

  @Override
  public final synchronized void start(Listener listener) {
    if (this.listener != null && this.listener != listener || heartbeat != null || closed) {
      return;
    }
    this.listener = listener; // kept once stopped: what Redis still tells until it stops goes to the near caches
    heartbeat = Executors.newSingleThreadScheduledExecutor(task -> AgentThreads.daemon("near-cache-heartbeat", task));
    heartbeat.scheduleWithFixedDelay(this::beatQuietly, 0, HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void beatQuietly() {
    try {
      if (stopIfUnused()) {
        return;
      }
      beat();
    } catch (RuntimeException e) { // the next beat tries again: an exception would end the schedule
      AgentLog.warn("near-cache-heartbeat", "near cache heartbeat failed (" + e + "); copies are not served until it answers");
    }
  }

  /**
   * Stops the heartbeat and tracking once the listener has no near cache left; whether they are
   * stopped. Under the lock {@link #start} takes: a near cache made meanwhile either is seen in use
   * here, or starts them again. The listener stays: a near cache made after the check, and its
   * copies read before the epoch moves, still hear of every change.
   */
  private synchronized boolean stopIfUnused() {
    if (heartbeat == null || closed) {
      return true;
    }
    if (listener.inUse()) {
      return false;
    }
    stopTracking(); // first: the epoch moves, no copy is served or made from here on
    heartbeat.shutdown(); // from its own thread: this beat ends, no other comes
    heartbeat = null;
    AgentLog.info("no method has a nearCache any more: redis no longer tracks keys for this JVM, and the heartbeat stops");
    return true;
  }

  /** Whether tracking was stopped (no near cache is left), or never started: Redis should track nothing. */
  final boolean isStopped() {
    return heartbeat == null;
  }

  /** Every copy is void: changes may have been told to nobody (a disconnect, a flush, tracking turned on anew). */
  final void voidEveryCopy() {
    epoch.incrementAndGet();
  }

  /** Redis said {@code key} changed. */
  final void changed(String key) {
    Listener current = listener;
    if (current != null) {
      current.changed(key);
    }
  }

  /** This JVM is about to write {@code key}: its copies are void at once, and none is made until {@link #written}. */
  final void writing(String key) {
    Listener current = listener;
    if (current != null) {
      current.writing(key);
    }
  }

  /** This JVM's write of {@code key} ended: copies made from reads Redis ran before it are void too. */
  final void written(String key) {
    Listener current = listener;
    if (current != null) {
      current.written(key);
    }
  }

  /** Whether {@link #close} was called: a connection opened since is closed at once. */
  final boolean isClosed() {
    return closed;
  }

  synchronized void close() {
    closed = true;
    ScheduledExecutorService running = heartbeat;
    if (running != null) {
      running.shutdownNow();
    }
  }
}
