package io.cacheagent.store;

import io.cacheagent.logging.AgentLog;
import io.lettuce.core.StatefulRedisConnectionImpl;
import io.lettuce.core.TrackingArgs;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.push.PushMessage;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.protocol.ProtocolVersion;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One connection on which Redis tracks keys for the near caches (see KeyTracking): whether Redis
 * confirmed tracking on it as it is now, when the newest PING it answered was sent, and the
 * "invalidate" messages Redis pushes on it. What Redis tracked ends with the connection, or when
 * tracking is turned off: each of those, and each confirmation of tracking, moves the owner's epoch.
 */
final class TrackedConnection {

  private final KeyTracking owner;
  private final TrackingArgs trackingArgs;
  /** The key of its problems in the log: each connection's come and go on their own. */
  private final String logKey;
  /** Counts disconnects and turn-offs: tracking turned on before one of them does not count. */
  private final AtomicLong resets = new AtomicLong();
  /** Whether Redis confirmed tracking on the connection as it is now. */
  private volatile boolean tracked;
  /** Whether a CLIENT TRACKING is in flight: the heartbeat sends no second one meanwhile. */
  private volatile boolean turningOn;
  /** When the newest PING that Redis answered was sent. */
  private volatile long answeredPingSentNanos = System.nanoTime() - TimeUnit.DAYS.toNanos(1);

  TrackedConnection(KeyTracking owner, TrackingArgs trackingArgs, String logKey) {
    this.owner = owner;
    this.trackingArgs = trackingArgs;
    this.logKey = logKey;
  }

  /**
   * Whether Redis tracks keys on it and answered a PING sent at most {@code staleNanos} before
   * {@code nowNanos}: every change Redis made before it ran that PING has been heard of.
   */
  boolean isTelling(long nowNanos, long staleNanos) {
    return tracked && nowNanos - answeredPingSentNanos <= staleNanos;
  }

  /** The connection dropped: every copy is void, and tracking is turned on again once it is back. */
  void disconnected() {
    reset();
  }

  /**
   * Tracking ends (no near cache is left): Redis is told to stop, over {@code commands} where the
   * connection is open ({@code null}: it is not, and Redis tracks nothing on it). The next beat
   * turns it on again.
   */
  void turnOff(RedisClusterAsyncCommands<String, ?> commands) {
    reset(); // first: a CLIENT TRACKING on still in flight no longer counts
    if (commands == null) {
      return;
    }
    try {
      commands.clientTracking(TrackingArgs.Builder.enabled(false));
    } catch (RuntimeException e) {
      // rejected while disconnected: the reconnect ends tracking anyway
    }
  }

  private synchronized void reset() {
    resets.incrementAndGet();
    tracked = false;
    owner.voidEveryCopy();
  }

  /** A heartbeat: tracking turned on where it is not (yet, or again), and a PING. */
  void beat(StatefulConnection<String, ?> connection, RedisClusterAsyncCommands<String, ?> commands) {
    if (!tracked && !turningOn) {
      turnOn(connection, commands);
    }
    ping(commands);
  }

  private void turnOn(StatefulConnection<String, ?> connection, RedisClusterAsyncCommands<String, ?> commands) {
    long resetsBefore = resets.get();
    if (!(connection instanceof StatefulRedisConnectionImpl<?, ?>)
        || ((StatefulRedisConnectionImpl<?, ?>) connection).getConnectionState().getNegotiatedProtocolVersion()
            != ProtocolVersion.RESP3) {
      AgentLog.warn(logKey, "nearCache is off: redis answered in RESP2 (a redis older than 6, or HELLO refused),"
          + " which cannot tell this connection of changed keys; those methods read redis on every call");
      return;
    }
    turningOn = true;
    try {
      commands.clientTracking(trackingArgs).whenComplete((ok, failure) -> {
        if (!trackingTurnedOn(resetsBefore, failure) && failure == null && owner.isStopped()) {
          // Redis ran it after tracking stopped: sent before a disconnect, Lettuce sent it again
          // after the reconnect. Nothing hears its messages now.
          turnOff(commands);
        }
      });
    } catch (RuntimeException e) {
      trackingTurnedOn(resetsBefore, e); // the failure is logged
    }
  }

  /**
   * Tracking is on for the connection as it was at {@code resetsBefore}, unless {@code failure};
   * whether it counts (no disconnect or turn-off came in between).
   */
  private synchronized boolean trackingTurnedOn(long resetsBefore, Throwable failure) {
    turningOn = false;
    if (failure != null) {
      tracked = false;
      AgentLog.warn(logKey, "nearCache copies are not served: redis did not turn CLIENT TRACKING on ("
          + RedisStore.rootMessage(failure) + "); trying again every " + KeyTracking.HEARTBEAT.toMillis() + " ms. If redis"
          + " refuses it, the agent's redis user needs +client|tracking");
      return false;
    }
    if (resets.get() != resetsBefore) { // under the lock reset() takes: a drop or turn-off came in between
      return false;
    }
    owner.voidEveryCopy();
    tracked = true;
    AgentLog.resolved(logKey);
    return true;
  }

  private void ping(RedisClusterAsyncCommands<String, ?> commands) {
    long sent = System.nanoTime();
    try {
      commands.ping().whenComplete((pong, failure) -> {
        if (failure == null && sent - answeredPingSentNanos > 0) {
          answeredPingSentNanos = sent;
        }
      });
    } catch (RuntimeException e) {
      // rejected while disconnected: the copies go stale, as they should
    }
  }

  /** A message Redis pushed: the keys named in an "invalidate" one changed; none named means all did (a flush). */
  void pushed(PushMessage message) {
    if (!"invalidate".equals(message.getType())) {
      return;
    }
    List<Object> content = message.getContent(StringCodec.UTF8::decodeKey);
    if (content.size() < 2 || !(content.get(1) instanceof List<?>)) {
      owner.voidEveryCopy(); // FLUSHALL, FLUSHDB
      return;
    }
    for (Object key : (List<?>) content.get(1)) {
      owner.changed(String.valueOf(key));
    }
  }
}
