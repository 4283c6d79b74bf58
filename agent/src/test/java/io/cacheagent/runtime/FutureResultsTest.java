package io.cacheagent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.cacheagent.bootstrap.Hit;
import io.cacheagent.codec.EntrySigning;
import io.cacheagent.config.MethodRule;
import io.cacheagent.config.MethodSignature;
import io.cacheagent.key.KeyNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A method that returns a CompletableFuture: its value is cached once the future completes, never a failure. */
class FutureResultsTest {

  private static final MethodSignature FIND = MethodSignature.parse("com.acme.Repo#findLater(long)");
  private static final MethodSignature FIND_TAGS = MethodSignature.parse("com.acme.Repo#tagsLater(long)");
  private static final String RETURNS_FUTURE = "(J)Ljava/util/concurrent/CompletableFuture;";

  private final MethodTable table = new MethodTable(KeyNames.readable("test"), List.of(), EntrySigning.OFF);
  private final CacheRuntime runtime = new CacheRuntime(table, new FlakyStore());
  private final int findLater = table.registerCached(getClass().getClassLoader(), FIND.toString(), FIND.toString(), RETURNS_FUTURE,
      MethodRule.cache(FIND).ttl(Duration.ofMinutes(5)).build(), List.of("java.lang.String"), true, null);
  private final int tagsLater = table.registerCached(getClass().getClassLoader(), FIND_TAGS.toString(), FIND_TAGS.toString(),
      RETURNS_FUTURE, MethodRule.cache(FIND_TAGS).ttl(Duration.ofMinutes(5)).build(), List.of("java.util.ArrayList", "java.lang.String"),
      true, null);

  @Test
  void aFutureThatCompletesLater_storesItsValue_andAHitIsAnAlreadyCompletedFutureOfIt() {
    Object miss = runtime.begin(findLater, null, new Object[] {1L});
    assertThat(miss).isNotNull().isNotInstanceOf(Hit.class);
    CompletableFuture<String> future = new CompletableFuture<>();
    Object callers = runtime.complete(findLater, miss, future);
    assertThat(runtime.begin(findLater, null, new Object[] {1L})).as("nothing stored before the value came").isNotInstanceOf(Hit.class);

    future.complete("one");

    assertThat(callers).isInstanceOfSatisfying(CompletableFuture.class, f -> assertThat(f).isCompletedWithValue("one"));
    Object hit = runtime.begin(findLater, null, new Object[] {1L});
    assertThat(hit).isInstanceOfSatisfying(Hit.class, h -> assertThat(h.value).isInstanceOfSatisfying(CompletableFuture.class,
        served -> assertThat(served).isCompletedWithValue("one").isNotSameAs(future)));
  }

  @Test
  void aCallerThatChangesTheValueItGot_doesNotChangeWhatIsStored() {
    Object miss = runtime.begin(tagsLater, null, new Object[] {5L});
    CompletableFuture<List<String>> own = new CompletableFuture<>();
    @SuppressWarnings("unchecked")
    CompletableFuture<List<String>> callers = (CompletableFuture<List<String>>) runtime.complete(tagsLater, miss, own);
    callers.thenAccept(tags -> tags.add("changed by the caller"));

    own.complete(new ArrayList<>(List.of("loaded")));

    Object hit = runtime.begin(tagsLater, null, new Object[] {5L});
    assertThat(hit).isInstanceOfSatisfying(Hit.class, h -> assertThat(h.value).isInstanceOfSatisfying(CompletableFuture.class,
        served -> assertThat(served.join()).isEqualTo(List.of("loaded"))));
  }

  @Test
  void cancellingTheCallersFuture_cancelsTheMethods_andStoresNothing() {
    Object miss = runtime.begin(findLater, null, new Object[] {6L});
    CompletableFuture<String> own = new CompletableFuture<>();
    CompletableFuture<?> callers = (CompletableFuture<?>) runtime.complete(findLater, miss, own);

    callers.cancel(false);

    assertThat(own).isCancelled();
    assertThat(runtime.begin(findLater, null, new Object[] {6L})).isNotNull().isNotInstanceOf(Hit.class);
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
  void aCallWhileAnotherCallOfTheKeyRuns_runsTheMethodItself_withoutWaitingForIt() throws Exception {
    runtime.begin(findLater, null, new Object[] {4L}); // its method has not returned its future yet

    // Waiting for that load would take the follower's wait: 1 s without load times. A caller of a
    // method that returns a future expects it back at once.
    Object follower = CompletableFuture.supplyAsync(() -> runtime.begin(findLater, null, new Object[] {4L}))
        .get(800, TimeUnit.MILLISECONDS);
    assertThat(follower).as("runs the method, uncached").isNull();
  }

  @Test
  void aCallAfterAnotherCallsFutureWasReturned_leadsALoadOfItsOwn_evenIfThatFutureNeverCompletes() throws Exception {
    Object leader = runtime.begin(findLater, null, new Object[] {7L});
    runtime.complete(findLater, leader, new CompletableFuture<String>()); // never completes

    Object next = CompletableFuture.supplyAsync(() -> runtime.begin(findLater, null, new Object[] {7L})).get(5, TimeUnit.SECONDS);
    assertThat(next).as("a miss whose value will be stored").isNotNull().isNotInstanceOf(Hit.class);
  }
}
