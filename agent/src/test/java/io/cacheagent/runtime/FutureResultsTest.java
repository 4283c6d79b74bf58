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
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A method that returns a CompletableFuture: its value is cached once the future completes, never a
 * failure; concurrent misses of one key share one load without waiting for it.
 */
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
  private final Repo repo = new Repo(runtime);
  private final int repoTags = registerRepo("tagsLater(long)", RETURNS_FUTURE);
  private final int repoTagsOf = registerRepo("tagsOf(java.lang.String[])", "([Ljava/lang/String;)Ljava/util/concurrent/CompletableFuture;");

  {
    // As if its loads had taken 5 s: a follower waits 10 s, which no test waits out, however slow the machine.
    table.cached(repoTags).stats.loadNanos.recordValue(TimeUnit.SECONDS.toNanos(5));
    table.cached(repoTagsOf).stats.loadNanos.recordValue(TimeUnit.SECONDS.toNanos(5));
  }

  private int registerRepo(String method, String descriptor) {
    String name = Repo.class.getName() + "#" + method;
    return table.registerCached(getClass().getClassLoader(), name, name, descriptor, MethodRule.cache(MethodSignature.parse(name))
        .ttl(Duration.ofMinutes(5)).build(), List.of("java.util.ArrayList", "java.lang.String"), true, null);
  }

  @Test
  void aFutureThatCompletesLater_storesItsValue_andAHitIsAnAlreadyCompletedFutureOfIt() {
    Object miss = runtime.begin(findLater, null, new Object[] {1L});
    assertThat(miss).isNotNull().isNotInstanceOf(Hit.class);
    CompletableFuture<String> future = new CompletableFuture<>();
    Object callers = runtime.complete(findLater, miss, future);
    assertThat(runtime.begin(findLater, null, new Object[] {1L}) instanceof Hit).as("nothing stored before the value came").isFalse();

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
  void aCallWhileAnotherCallsLoadIsInFlight_getsAFutureAtOnce_thatCompletesWithItsOwnCopyOfTheValue() throws Exception {
    Object leader = runtime.begin(repoTags, repo, new Object[] {4L});
    Object follower = inAnotherThread(() -> runtime.begin(repoTags, repo, new Object[] {4L})); // before the method returned
    CompletableFuture<List<String>> own = new CompletableFuture<>();
    runtime.complete(repoTags, leader, own);
    assertThat(follower).isInstanceOf(Hit.class);
    CompletableFuture<?> followers = (CompletableFuture<?>) ((Hit) follower).value;
    assertThat(followers).as("given at once, complete once the load is").isNotDone();

    List<String> loaded = new ArrayList<>(List.of("loaded"));
    own.complete(loaded);

    assertThat(followers.getNow(null)).isEqualTo(List.of("loaded")).isNotSameAs(loaded);
    assertThat(repo.calls).as("the method ran once, for the leader").hasValue(0);
    assertThat(table.cached(repoTags).stats.coalesced.sum()).isEqualTo(1);
  }

  @Test
  void aCallThatSharedALoadWhoseFutureFailed_runsTheMethodItself_uncached() throws Exception {
    Object leader = runtime.begin(repoTags, repo, new Object[] {5L});
    Object follower = inAnotherThread(() -> runtime.begin(repoTags, repo, new Object[] {5L}));
    runtime.complete(repoTags, leader, CompletableFuture.failedFuture(new IllegalStateException("no stock")));

    CompletableFuture<?> followers = (CompletableFuture<?>) ((Hit) follower).value;
    assertThat(followers.get(5, TimeUnit.SECONDS)).isEqualTo(List.of("again 5"));
    assertThat(repo.calls).hasValue(1);
    assertThat(repo.lookUps).as("the call again is not looked up, nor shares a load").containsExactly("uncached");
  }

  @Test
  void aCallerThatCancelsTheFutureItGot_doesNotCancelTheCallsThatSharedItsLoad() throws Exception {
    Object leader = runtime.begin(repoTags, repo, new Object[] {6L});
    Object follower = inAnotherThread(() -> runtime.begin(repoTags, repo, new Object[] {6L}));
    CompletableFuture<List<String>> own = new CompletableFuture<>();
    CompletableFuture<?> callers = (CompletableFuture<?>) runtime.complete(repoTags, leader, own);

    callers.cancel(false);

    assertThat(own).isCancelled();
    CompletableFuture<?> followers = (CompletableFuture<?>) ((Hit) follower).value;
    assertThat(followers.get(5, TimeUnit.SECONDS)).as("its own call's value").isEqualTo(List.of("again 6"));
  }

  @Test
  void aLoadWhoseFutureDoesNotComplete_isLeftAfterTheWait_byTheCallsThatSharedIt_andByLaterCalls() throws Exception {
    AtomicLong now = new AtomicLong();
    MethodTable untimed = new MethodTable(KeyNames.readable("test"), List.of(), EntrySigning.OFF);
    CacheRuntime clocked = new CacheRuntime(untimed, new FlakyStore(), now::get);
    String name = Repo.class.getName() + "#tagsLater(long)";
    int tags = untimed.registerCached(getClass().getClassLoader(), name, name, RETURNS_FUTURE, MethodRule.cache(MethodSignature.parse(name))
        .ttl(Duration.ofMinutes(5)).build(), List.of("java.util.ArrayList", "java.lang.String"), true, null);
    Repo clockedRepo = new Repo(clocked, tags);
    Object leader = clocked.begin(tags, clockedRepo, new Object[] {7L});
    clocked.complete(tags, leader, new CompletableFuture<List<String>>()); // never completes
    Object follower = inAnotherThread(() -> clocked.begin(tags, clockedRepo, new Object[] {7L}));

    // No load of the method was timed: the wait is CachedMethod.FOLLOWER_WAIT_UNKNOWN, 1 s.
    CompletableFuture<?> followers = (CompletableFuture<?>) ((Hit) follower).value;
    assertThat(followers.get(5, TimeUnit.SECONDS)).isEqualTo(List.of("again 7"));
    assertThat(clockedRepo.lookUps).containsExactly("uncached");

    now.addAndGet(CachedMethod.FOLLOWER_WAIT_UNKNOWN + 1);
    Object next = inAnotherThread(() -> clocked.begin(tags, clockedRepo, new Object[] {7L}));
    assertThat(next).as("a miss that leads a load of its own").isNotNull().isNotInstanceOf(Hit.class);
  }

  @Test
  void aLaterCallOnTheThreadThatLedTheLoad_sharesIt_onceTheMethodReturnedItsFuture() {
    Object leader = runtime.begin(repoTags, repo, new Object[] {8L});
    CompletableFuture<List<String>> own = new CompletableFuture<>();
    runtime.complete(repoTags, leader, own);

    Object next = runtime.begin(repoTags, repo, new Object[] {8L}); // an event loop's next call, on the same thread

    assertThat(next).isInstanceOf(Hit.class);
    own.complete(new ArrayList<>(List.of("loaded")));
    assertThat(((CompletableFuture<?>) ((Hit) next).value).getNow(null)).isEqualTo(List.of("loaded"));
  }

  @Test
  void aVarargsMethod_isCalledAgainWithItsOwnArray() throws Exception {
    Object[] args = {new String[] {"a", "b"}};
    Object leader = runtime.begin(repoTagsOf, repo, args);
    Object follower = inAnotherThread(() -> runtime.begin(repoTagsOf, repo, args));
    runtime.complete(repoTagsOf, leader, CompletableFuture.failedFuture(new IllegalStateException("no tags")));

    CompletableFuture<?> followers = (CompletableFuture<?>) ((Hit) follower).value;
    assertThat(followers.get(5, TimeUnit.SECONDS)).isEqualTo(List.of("a", "b"));
  }

  @Test
  void aCallWhileAnotherCallOfAMethodTheAgentCannotCallAgainRuns_runsItAtOnce_uncached() throws Exception {
    runtime.begin(findLater, null, new Object[] {4L}); // com.acme.Repo does not exist: nothing to call again

    assertThat(inAnotherThread(() -> runtime.begin(findLater, null, new Object[] {4L}))).isNull();
  }

  /** A method of a real class, so that a call that shared a load can run it again; it looks itself up as the advice would. */
  class Repo {
    final AtomicInteger calls = new AtomicInteger();
    final List<String> lookUps = new CopyOnWriteArrayList<>();
    private final CacheRuntime lookingUp;
    private final int tagsId;

    Repo(CacheRuntime lookingUp) {
      this(lookingUp, -1);
    }

    Repo(CacheRuntime lookingUp, int tagsId) {
      this.lookingUp = lookingUp;
      this.tagsId = tagsId;
    }

    CompletableFuture<List<String>> tagsOf(String... names) {
      calls.incrementAndGet();
      return CompletableFuture.completedFuture(new ArrayList<>(List.of(names)));
    }

    CompletableFuture<List<String>> tagsLater(long id) {
      Object call = lookingUp.begin(tagsId >= 0 ? tagsId : repoTags, this, new Object[] {id});
      lookUps.add(call == null ? "uncached" : call.getClass().getSimpleName());
      calls.incrementAndGet();
      return CompletableFuture.completedFuture(new ArrayList<>(List.of("again " + id)));
    }
  }

  private static <T> T inAnotherThread(Callable<T> task) throws Exception {
    ExecutorService thread = Executors.newSingleThreadExecutor();
    try {
      return thread.submit(task).get(5, TimeUnit.SECONDS);
    } finally {
      thread.shutdownNow();
    }
  }
}
