package io.cacheagent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.cacheagent.bootstrap.Hit;
import io.cacheagent.codec.EntrySigning;
import io.cacheagent.config.MethodRule;
import io.cacheagent.config.MethodSignature;
import io.cacheagent.key.KeyNames;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A method that returns a CompletableFuture: its value is cached once the future completes, never a failure. */
class FutureResultsTest {

  private static final MethodSignature FIND = MethodSignature.parse("com.acme.Repo#findLater(long)");

  private final MethodTable table = new MethodTable(KeyNames.readable("test"), List.of(), EntrySigning.OFF);
  private final CacheRuntime runtime = new CacheRuntime(table, new FlakyStore());
  private final int findLater = table.registerCached(getClass().getClassLoader(), FIND.toString(), FIND.toString(),
      "(J)Ljava/util/concurrent/CompletableFuture;", MethodRule.cache(FIND).ttl(Duration.ofMinutes(5)).build(),
      List.of("java.lang.String"), true);

  @Test
  void aFutureThatCompletesLater_storesItsValue_andAHitIsAnAlreadyCompletedFutureOfIt() {
    Object miss = runtime.begin(findLater, null, new Object[] {1L});
    assertThat(miss).isNotNull().isNotInstanceOf(Hit.class);
    CompletableFuture<String> future = new CompletableFuture<>();
    runtime.complete(findLater, miss, future);
    assertThat(runtime.begin(findLater, null, new Object[] {1L})).as("nothing stored before the value came").isNotInstanceOf(Hit.class);

    future.complete("one");

    Object hit = runtime.begin(findLater, null, new Object[] {1L});
    assertThat(hit).isInstanceOfSatisfying(Hit.class, h -> assertThat(h.value).isInstanceOfSatisfying(CompletableFuture.class,
        served -> {
          assertThat(served).isCompletedWithValue("one");
          assertThat(served).isNotSameAs(future);
        }));
  }

  @Test
  void aFailedFuture_storesNothing() {
    Object miss = runtime.begin(findLater, null, new Object[] {2L});
    runtime.complete(findLater, miss, CompletableFuture.failedFuture(new IllegalStateException("no stock")));

    assertThat(runtime.begin(findLater, null, new Object[] {2L})).isNotNull().isNotInstanceOf(Hit.class);
  }

  @Test
  void aCancelledFuture_storesNothing() {
    Object miss = runtime.begin(findLater, null, new Object[] {3L});
    CompletableFuture<String> cancelled = new CompletableFuture<>();
    runtime.complete(findLater, miss, cancelled);
    cancelled.cancel(false);

    assertThat(runtime.begin(findLater, null, new Object[] {3L})).isNotNull().isNotInstanceOf(Hit.class);
  }

  @Test
  void aCallWhileAnotherCallsFutureIsPending_runsTheMethodItself_withoutWaitingForIt() throws Exception {
    Object leader = runtime.begin(findLater, null, new Object[] {4L});
    CompletableFuture<String> pending = new CompletableFuture<>();
    runtime.complete(findLater, leader, pending);
    // Were the next call to wait for the leader's value (1 s, without load times), this would end its wait with a hit.
    pending.completeAsync(() -> "four", CompletableFuture.delayedExecutor(500, TimeUnit.MILLISECONDS));

    // From another thread: the leader's own thread calling again leads a load of its own.
    Object follower = CompletableFuture.supplyAsync(() -> runtime.begin(findLater, null, new Object[] {4L})).get(5, TimeUnit.SECONDS);
    assertThat(follower).as("a caller of a method that returns a future gets it back at once: it runs the method, uncached").isNull();
  }
}
