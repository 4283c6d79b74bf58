package io.cacheagent.store;

import io.lettuce.core.TrackingArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Key tracking on the one connection to a single server or Sentinel's master (see KeyTracking).
 * Redis tracks the keys this connection read, and tells of their changes on that same connection,
 * which keeps order: the message about a change comes before the reply to any read Redis ran after
 * that change.
 */
final class ServerTracking extends KeyTracking {

  private final TrackedConnection tracked = new TrackedConnection(this, TrackingArgs.Builder.enabled(), "near-cache-tracking");
  private volatile RedisConnection.Link link;

  ServerTracking(Duration commandTimeout, BooleanSupplier circuitOpen) {
    super(commandTimeout, circuitOpen);
  }

  @Override
  boolean isTelling(long nowNanos) {
    return tracked.isTelling(nowNanos, staleNanos);
  }

  /** The connection, once opened: Redis's messages are heard from now on; the heartbeat turns tracking on. */
  void follow(RedisConnection.Link opened) {
    ((StatefulRedisConnection<String, byte[]>) opened.connection()).addListener(tracked::pushed);
    link = opened;
  }

  /** The connection dropped: every copy is void, and tracking is turned on again once it is back. */
  void disconnected() {
    tracked.disconnected();
  }

  @Override
  void stopTracking() {
    RedisConnection.Link current = link;
    tracked.turnOff(current != null && current.isOpen() ? current.commands() : null);
  }

  @Override
  void beat() {
    RedisConnection.Link current = link;
    if (current != null && current.isOpen()) {
      tracked.beat(current.connection(), current.commands());
    }
  }
}
