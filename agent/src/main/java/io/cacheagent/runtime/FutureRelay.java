package io.cacheagent.runtime;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;

/** A caller's future that completes as the method's own does, after the agent took what it needs from the outcome. */
final class FutureRelay {

  private FutureRelay() {}

  /**
   * Completes {@code callers} with exactly what {@code own} completes with (the same exception
   * object, so that join(), get() and isCancelled() answer as on {@code own}), after {@code first}
   * ran with that outcome. Cancelling {@code callers} cancels {@code own}.
   *
   * @throws RuntimeException when {@code own}, an application's own CompletionStage, refuses a callback
   */
  static void relay(CompletionStage<?> own, CompletableFuture<Object> callers, BiConsumer<Object, Throwable> first) {
    own.whenComplete((value, failure) -> {
      try {
        first.accept(value, failure);
      } catch (RuntimeException | LinkageError e) {
        // the agent's part failed; the caller gets the outcome all the same
      } finally {
        if (failure != null) {
          callers.completeExceptionally(failure);
        } else {
          callers.complete(value);
        }
      }
    });
    if (own instanceof CompletableFuture<?>) {
      CompletableFuture<?> future = (CompletableFuture<?>) own;
      callers.whenComplete((value, failure) -> {
        if (callers.isCancelled() && !future.isDone()) {
          future.cancel(false);
        }
      });
    }
  }
}
