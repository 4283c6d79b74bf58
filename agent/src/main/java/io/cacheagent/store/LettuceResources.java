package io.cacheagent.store;

import io.cacheagent.threads.AgentThreads;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import io.netty.util.HashedWheelTimer;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Lettuce's client resources (event loops, timer) as the store uses them, and a way to make them
 * before the configuration is parsed: loading Lettuce, Netty and Reactor for them takes about a
 * quarter of a second on a 2-core machine, which then overlaps the parse instead of following it.
 */
public final class LettuceResources {

  /**
   * Longest pause between two tries to reconnect: JVMs whose connection Redis dropped are back
   * within about this long of each other once it answers again.
   */
  static final Duration MAX_RECONNECT_PAUSE = Duration.ofMillis(100);

  /** The timer's precision: a reconnect pause or a command timeout ends at most this much late. */
  static final Duration TIMER_TICK = Duration.ofMillis(10);

  private LettuceResources() {}

  /** Makes the resources on the daemon thread {@code cache-agent-redis-load}. */
  public static CompletableFuture<ClientResources> makeInBackground() {
    CompletableFuture<ClientResources> made = new CompletableFuture<>();
    AgentThreads.daemon("redis-load", () -> {
      try {
        made.complete(make());
      } catch (Throwable t) {
        made.completeExceptionally(t);
      }
    }).start();
    return made;
  }

  /** Shuts down resources made in advance that no store took. */
  public static void discard(CompletableFuture<ClientResources> made) {
    made.thenAccept(LettuceResources::shutdown);
  }

  /** Shuts down {@code resources}, with the timer they were given (Lettuce leaves a given timer running). */
  static void shutdown(ClientResources resources) {
    resources.shutdown(0, 1, TimeUnit.SECONDS).addListener(done -> resources.timer().stop());
  }

  static ClientResources make() {
    return DefaultClientResources.builder()
        .threadFactoryProvider(pool -> new DefaultThreadFactory("cache-agent-" + pool, true))
        // Lettuce's default backs off to 30 s between reconnects: JVMs would come back from an
        // outage seconds apart, each missing the others' evictions meanwhile. A refused connect
        // costs next to nothing.
        .reconnectDelay(Delay.exponential(Duration.ofMillis(10), MAX_RECONNECT_PAUSE, 2, TimeUnit.MILLISECONDS))
        // Reconnect pauses and command timeouts run on this timer. Netty's default ticks every
        // 100 ms, which would round each pause up to the next tick.
        .timer(new HashedWheelTimer(new DefaultThreadFactory("cache-agent-timer", true), TIMER_TICK.toMillis(), TimeUnit.MILLISECONDS))
        .build();
  }
}
