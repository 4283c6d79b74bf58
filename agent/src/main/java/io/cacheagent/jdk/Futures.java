package io.cacheagent.jdk;

import java.util.concurrent.CompletableFuture;

/** What {@link CompletableFuture} offers from Java 9 on, for the agent's code on Java 8 too. */
public final class Futures {

  private Futures() {}

  /** A future already completed with {@code failure}, as {@code CompletableFuture.failedFuture} gives. */
  public static <T> CompletableFuture<T> failed(Throwable failure) {
    CompletableFuture<T> future = new CompletableFuture<>();
    future.completeExceptionally(failure);
    return future;
  }
}
