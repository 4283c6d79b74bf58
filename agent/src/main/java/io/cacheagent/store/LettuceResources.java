package io.cacheagent.store;

import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
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

  private LettuceResources() {}

  /** Makes the resources on the daemon thread {@code cache-agent-redis-load}. */
  public static CompletableFuture<ClientResources> makeInBackground() {
    CompletableFuture<ClientResources> made = new CompletableFuture<>();
    Thread loader = new Thread(() -> {
      try {
        made.complete(make());
      } catch (Throwable t) {
        made.completeExceptionally(t);
      }
    }, "cache-agent-redis-load");
    loader.setDaemon(true);
    loader.setContextClassLoader(null);
    loader.start();
    return made;
  }

  /** Shuts down resources made in advance that no store took. */
  public static void discard(CompletableFuture<ClientResources> made) {
    made.thenAccept(resources -> resources.shutdown(0, 1, TimeUnit.SECONDS));
  }

  static ClientResources make() {
    return DefaultClientResources.builder()
        .threadFactoryProvider(pool -> new DefaultThreadFactory("cache-agent-" + pool, true))
        // Lettuce's default backs off to 30 s between reconnects; after an outage, caching should
        // resume within about a second of Redis returning, and a refused connect costs nothing.
        .reconnectDelay(Delay.exponential(Duration.ofMillis(10), MAX_RECONNECT_PAUSE, 2, TimeUnit.MILLISECONDS))
        .build();
  }
}
