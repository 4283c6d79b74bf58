package io.cacheagent.store;

import io.cacheagent.logging.AgentLog;
import io.cacheagent.threads.AgentThreads;
import io.lettuce.core.StatefulRedisConnectionImpl;
import io.lettuce.core.TrackingArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.push.PushMessage;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.protocol.ProtocolVersion;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/*
 * Redis's server-assisted invalidation (CLIENT TRACKING) on the one connection to a single server
 * or Sentinel's master, for the near caches.
 *
 * Once a near cache asks for it, the connection is put in tracking mode: Redis remembers the keys
 * it read, and when one changes (any client's write, its expiry or eviction, a flush) it pushes an
 * "invalidate" message on that same connection (RESP3). One connection keeps order: the message
 * about a change comes before the reply to any read Redis ran after that change.
 *
 * What Redis tracked ends with the connection. At a disconnect every copy becomes void (the epoch
 * moves), for changes made meanwhile are told to nobody. The heartbeat turns tracking on wherever
 * it is not: at the start, after each reconnect, and after a CLIENT TRACKING that failed.
 *
 * A connection can die without a reset (a cut cable, a partition, a paused Redis): no message
 * comes, and nothing says so. So a PING goes out every HEARTBEAT, and copies are served only while
 * the newest answered one was sent less than HEARTBEAT plus the command timeout ago: every change
 * Redis made before it ran that PING has been heard of. That bounds how long a JVM cut off from
 * Redis serves copies that may be stale.
 */
final class KeyTracking implements Invalidations {

  /** How often the connection is checked by a PING while near caches are in use. */
  static final Duration HEARTBEAT = Duration.ofMillis(200);

  private final long staleNanos;
  private final BooleanSupplier circuitOpen;
  private volatile Listener listener;
  private final AtomicLong epoch = new AtomicLong();
  /** Counts disconnects: tracking turned on for a connection that dropped since does not count. */
  private final AtomicLong disconnects = new AtomicLong();
  /** Whether Redis confirmed tracking on the connection as it is now. */
  private volatile boolean tracked;
  /** When the newest PING that Redis answered was sent. */
  private volatile long answeredPingSentNanos = System.nanoTime() - TimeUnit.DAYS.toNanos(1);
  private volatile RedisConnection.Link link;
  private volatile ScheduledExecutorService heartbeat;
  /** Whether a CLIENT TRACKING is in flight: the heartbeat sends no second one meanwhile. */
  private volatile boolean turningOn;
  private boolean closed;

  /** {@code circuitOpen}: while it says so, no copy is served, as no read goes to Redis. */
  KeyTracking(Duration commandTimeout, BooleanSupplier circuitOpen) {
    this.staleNanos = HEARTBEAT.toNanos() + commandTimeout.toNanos();
    this.circuitOpen = circuitOpen;
  }

  @Override
  public long epoch(long nowNanos) {
    if (!tracked || circuitOpen.getAsBoolean() || nowNanos - answeredPingSentNanos > staleNanos) {
      return -1;
    }
    return epoch.get();
  }

  @Override
  public synchronized void start(Listener listener) {
    if (this.listener != null || closed) {
      return;
    }
    this.listener = listener;
    heartbeat = Executors.newSingleThreadScheduledExecutor(task -> AgentThreads.daemon("near-cache-heartbeat", task));
    heartbeat.scheduleWithFixedDelay(this::beat, 0, HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The connection, once opened: Redis's messages are heard from now on; the heartbeat turns tracking on. */
  void follow(RedisConnection.Link opened) {
    ((StatefulRedisConnection<String, byte[]>) opened.connection()).addListener(this::pushed);
    link = opened;
  }

  /** The connection dropped: every copy is void, and tracking is turned on again once it is back. */
  synchronized void disconnected() {
    disconnects.incrementAndGet();
    tracked = false;
    epoch.incrementAndGet();
  }

  /** This JVM is about to write {@code key}: its copies are void at once, and none is made until {@link #written}. */
  void writing(String key) {
    Listener current = listener;
    if (current != null) {
      current.writing(key);
    }
  }

  /** This JVM's write of {@code key} ended: copies made from reads Redis ran before it are void too. */
  void written(String key) {
    Listener current = listener;
    if (current != null) {
      current.written(key);
    }
  }

  /** Every HEARTBEAT: tracking turned on where it is not (yet, or again), and a PING. */
  private void beat() {
    RedisConnection.Link current = link;
    if (current == null || !current.isOpen()) {
      return;
    }
    try {
      if (!tracked && !turningOn) {
        turnOn(current);
      }
      ping(current);
    } catch (RuntimeException e) { // the next beat tries again: an exception would end the schedule
      AgentLog.warn("near-cache-heartbeat", "near cache heartbeat failed (" + e + "); copies are not served until it answers");
    }
  }

  private void turnOn(RedisConnection.Link current) {
    long disconnectsBefore = disconnects.get();
    if (!(current.connection() instanceof StatefulRedisConnectionImpl<?, ?> impl)
        || impl.getConnectionState().getNegotiatedProtocolVersion() != ProtocolVersion.RESP3) {
      AgentLog.warn("near-cache-tracking", "nearCache is off: redis answered in RESP2 (a redis older than 6, or HELLO refused),"
          + " which cannot tell this connection of changed keys; those methods read redis on every call");
      return;
    }
    turningOn = true;
    try {
      current.commands().clientTracking(TrackingArgs.Builder.enabled()).whenComplete((ok, failure) -> trackingTurnedOn(disconnectsBefore,
          failure));
    } catch (RuntimeException e) {
      trackingTurnedOn(disconnectsBefore, e);
    }
  }

  /** Tracking is on for the connection as it was at {@code disconnectsBefore}, unless {@code failure}. */
  private synchronized void trackingTurnedOn(long disconnectsBefore, Throwable failure) {
    turningOn = false;
    if (failure != null) {
      tracked = false;
      AgentLog.warn("near-cache-tracking", "nearCache copies are not served: redis did not turn CLIENT TRACKING on ("
          + RedisStore.rootMessage(failure) + "); trying again every " + HEARTBEAT.toMillis() + " ms. If redis refuses it,"
          + " the agent's redis user needs +client|tracking");
      return;
    }
    if (disconnects.get() == disconnectsBefore) { // under the lock disconnected() takes: no drop in between
      epoch.incrementAndGet();
      tracked = true;
      AgentLog.resolved("near-cache-tracking");
    }
  }

  private void ping(RedisConnection.Link current) {
    long sent = System.nanoTime();
    try {
      current.commands().ping().whenComplete((pong, failure) -> {
        if (failure == null && sent - answeredPingSentNanos > 0) {
          answeredPingSentNanos = sent;
        }
      });
    } catch (RuntimeException e) {
      // rejected while disconnected: the copies go stale, as they should
    }
  }

  /** A message Redis pushed: the keys named in an "invalidate" one changed; none named means all did (a flush). */
  private void pushed(PushMessage message) {
    if (!"invalidate".equals(message.getType())) {
      return;
    }
    List<Object> content = message.getContent(StringCodec.UTF8::decodeKey);
    Listener current = listener;
    if (content.size() < 2 || !(content.get(1) instanceof List<?> keys)) {
      epoch.incrementAndGet(); // FLUSHALL, FLUSHDB
      return;
    }
    if (current != null) {
      for (Object key : keys) {
        current.changed(String.valueOf(key));
      }
    }
  }

  synchronized void close() {
    closed = true;
    ScheduledExecutorService running = heartbeat;
    if (running != null) {
      running.shutdownNow();
    }
  }
}
