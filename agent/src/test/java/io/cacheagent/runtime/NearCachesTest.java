package io.cacheagent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.cacheagent.bootstrap.Hit;
import io.cacheagent.codec.EntrySigning;
import io.cacheagent.config.EvictRule;
import io.cacheagent.config.MethodRule;
import io.cacheagent.config.MethodSignature;
import io.cacheagent.config.NearCacheSettings;
import io.cacheagent.key.KeyExpression;
import io.cacheagent.key.KeyNames;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Copies of entries in the JVM: when one is served, made, and void (over a store whose tracking the test drives). */
class NearCachesTest {

  private static final MethodSignature FIND = MethodSignature.parse("com.acme.Repo#find(long)");
  private static final MethodSignature SAVE = MethodSignature.parse("com.acme.Repo#save(com.acme.P)");

  private final MethodTable table = new MethodTable(KeyNames.readable("test"), List.of(), EntrySigning.OFF);
  private final FlakyStore store = new FlakyStore();
  private final CacheRuntime runtime = new CacheRuntime(table, store);
  private final MethodRule rule = MethodRule.cache(FIND).ttl(Duration.ofMinutes(5)).ttlJitter(0)
      .nearCache(NearCacheSettings.BUILT_IN)
      .evictOn(List.of(new EvictRule(SAVE, List.of(KeyExpression.parse("args[0]")), false, false))).build();
  private final int save = table.registerWrite(getClass().getClassLoader(), "com.acme.Repo#save(com.acme.P)",
      List.of("com.acme.Repo#save(com.acme.P)"), "(Lcom/acme/P;)V", List.of(Eviction.of(rule.evictOn().get(0), rule, KeyNames.readable("test"))));
  private final int find = table.registerCached(getClass().getClassLoader(), "com.acme.Repo#find(long)", "com.acme.Repo#find(long)",
      "(J)Ljava/lang/String;", rule, List.of("java.lang.String"));

  @BeforeEach
  void trackingOn() {
    store.epoch = 1;
  }

  @Test
  void aHitIsCopied_andTheNextServedFromTheCopy_withoutReadingTheStore() {
    cache(1L, "one");
    assertThat(value(1L)).isEqualTo("one"); // read from the store, copied
    int reads = store.reads.get();

    assertThat(value(1L)).isEqualTo("one");
    assertThat(store.reads.get()).as("served from the copy").isEqualTo(reads);
    assertThat(table.cached(find).stats.nearHits.sum()).isEqualTo(1);
    assertThat(table.cached(find).stats.hits(table.cached(find).stats.nearHits.sum())).isEqualTo(2);
  }

  @Test
  void withShareInstances_theHitsOfACopyShareOneDecodedResult_otherwiseEachDecodesItsOwn() {
    cache(1L, "one");
    value(1L); // read from the store, copied
    assertThat(value(1L)).as("each near hit decodes its own").isNotSameAs(value(1L));

    OneMethod sharing = oneMethod(MethodRule.cache(FIND).ttlJitter(0)
        .nearCache(new NearCacheSettings(100, Duration.ofMinutes(1), true)).build());
    sharing.cache(1L, "one");
    sharing.call(1L); // copied

    Object first = ((Hit) sharing.call(1L)).value;
    Object second = ((Hit) sharing.call(1L)).value;
    assertThat(first).isEqualTo("one").isSameAs(second);
  }

  @Test
  void aChangedKey_voidsItsCopy() {
    cache(1L, "one");
    value(1L);
    String key = store.keysRead.get(store.keysRead.size() - 1)[0];

    store.changed(key);
    int reads = store.reads.get();
    value(1L);
    assertThat(store.reads.get()).as("read from the store again").isEqualTo(reads + 1);
  }

  @Test
  void aChangedGenerationKey_voidsEveryCopyOfTheMethod() {
    cache(1L, "one");
    cache(2L, "two");
    value(1L);
    value(2L);
    String generationKey = store.keysRead.get(store.keysRead.size() - 1)[1];

    store.changed(generationKey);
    int reads = store.reads.get();
    value(1L);
    value(2L);
    assertThat(store.reads.get()).isEqualTo(reads + 2);
  }

  @Test
  void aChangeHeardOfWhileTheReadIsInFlight_keepsNoCopyOfItsAnswer() throws Exception {
    cache(1L, "one");
    int before = store.reads.get();
    store.holdNextRead(); // the read answers what the key held when it was sent...
    CompletableFuture<Object> call = CompletableFuture.supplyAsync(() -> value(1L));
    while (store.reads.get() == before) {
      Thread.onSpinWait();
    }
    store.changed(store.keysRead.get(store.keysRead.size() - 1)[0]); // ...and the key changes before the answer is in
    store.releaseRead();
    assertThat(call.get(5, TimeUnit.SECONDS)).isEqualTo("one");

    int reads = store.reads.get();
    value(1L);
    assertThat(store.reads.get()).as("its answer may predate the change: not kept").isEqualTo(reads + 1);
  }

  @Test
  void aReadSentWhileThisJvmWritesTheKey_leavesNoCopy_evenForAWriteMethodThatDoesNotWait() {
    cache(1L, "one");
    value(1L); // copied
    store.holdConfirmations = true; // Redis has not answered the SET yet
    store.beforeNextSet = () -> assertThat(value(1L)).isEqualTo("one"); // a read overlapping the write, sent before its SET

    runtime.afterWrite(save, null, new Object[] {1L});

    assertThat(runtime.begin(find, null, new Object[] {1L})).as("after the write returned: not the old value")
        .isNotInstanceOf(Hit.class);
  }

  @Test
  void noCopyIsServedOrMadeWhileTheStoreCannotTrack_andThoseOfAnotherEpochAreVoid() {
    cache(1L, "one");
    value(1L); // copied under epoch 1

    store.epoch = -1;
    int reads = store.reads.get();
    value(1L);
    value(1L);
    assertThat(store.reads.get()).as("no copy served or made").isEqualTo(reads + 2);

    store.epoch = 2; // e.g. reconnected: what changed meanwhile was told to nobody
    value(1L);
    assertThat(store.reads.get()).as("the copy of epoch 1 is void").isEqualTo(reads + 3);
    value(1L);
    assertThat(store.reads.get()).as("copied again under epoch 2").isEqualTo(reads + 3);
  }

  @Test
  void aCopyIsServedOnlyUnderTheGenerationKeyItWasReadWith() {
    NearCache near = new NearCache(rule);
    NearCache.Reading reading = near.startReading("k", "g1", 1, 0);
    near.finishReading("k", "g1", reading, new byte[] {1}, 2, 1);

    assertThat(near.copy("k", "g1", 1, 0)).isNotNull();
    assertThat(near.copy("k", "g2", 1, 0)).as("a call keyed by a reloaded rule: other arguments, the same entry key").isNull();
  }

  @Test
  void aCopyExpiresItsTtlAfterTheReadThatMadeIt() {
    NearCache near = nearCacheOfTtl(NEAR_TTL);
    long readAt = 1_000;
    near.finishReading("k", "g", near.startReading("k", "g", 1, readAt), new byte[] {1}, 2, 1);

    long ttl = NEAR_TTL.toNanos();
    assertThat(near.copy("k", "g", 1, readAt + ttl - 1)).isNotNull();
    assertThat(near.copy("k", "g", 1, readAt + ttl)).as("expired").isNull();
    assertThat(near.startReading("k", "g", 1, readAt + ttl)).as("an expired copy gives its place to a new read").isNotNull();
  }

  @Test
  void aMethodSwitchedOff_letsItsCopiesGoAtOnce_notAtACallItWillNotMake() {
    cache(1L, "one");
    value(1L); // copied
    CachedMethod method = table.cached(find);
    assertThat(method.near).isNotNull();

    method.rebind(method.rule.withEnabled(false), KeyNames.readable("test"));
    assertThat(method.near).isNull();
  }

  @Test
  void onceNoMethodHasANearCache_noneIsInUse_andTheNextNearCacheStartsTrackingAgain() {
    cache(1L, "one");
    value(1L);
    assertThat(store.nearCachesInUse()).isTrue();
    CachedMethod method = table.cached(find);

    method.rebind(MethodRule.cache(FIND).ttlJitter(0).build(), KeyNames.readable("test")); // reloaded without nearCache
    assertThat(store.nearCachesInUse()).as("the store may stop tracking and its heartbeat").isFalse();

    int starts = store.starts;
    method.rebind(rule, KeyNames.readable("test")); // and with it again
    value(1L);
    assertThat(store.nearCachesInUse()).isTrue();
    assertThat(store.starts).as("the new near cache asked the store to track again").isGreaterThan(starts);
  }

  @Test
  void aPlaceNeverGivenUp_isTakenByAReadATtlLater() {
    NearCache near = nearCacheOfTtl(NEAR_TTL);
    long readAt = 1_000;
    assertThat(near.startReading("k", "g", 1, readAt)).isNotNull(); // its thread never finishes

    long ttl = NEAR_TTL.toNanos();
    assertThat(near.startReading("k", "g", 1, readAt + ttl - 1)).as("a read in flight holds the place").isNull();
    NearCache.Reading next = near.startReading("k", "g", 1, readAt + ttl);
    assertThat(next).as("a ttl later, the place is taken again").isNotNull();
    near.finishReading("k", "g", next, new byte[] {1}, 2, 1);
    assertThat(near.copy("k", "g", 1, readAt + ttl)).isNotNull();
  }

  @Test
  void aMethodWithoutNearCache_alwaysReadsTheStore() {
    OneMethod plain = oneMethod(MethodRule.cache(FIND).ttlJitter(0).build());
    plain.cache(1L, "one");

    plain.call(1L);
    plain.call(1L);
    assertThat(plain.store().reads.get()).isEqualTo(3);
  }

  private static final Duration NEAR_TTL = Duration.ofSeconds(10);

  /** A near cache of its own for {@code find}, whose copies live {@code ttl} (shorter than the method's). */
  private static NearCache nearCacheOfTtl(Duration ttl) {
    return new NearCache(MethodRule.cache(FIND).ttl(Duration.ofMinutes(5)).ttlJitter(0)
        .nearCache(new NearCacheSettings(100, ttl, false)).build());
  }

  /** A runtime of its own, over a store that tracks (epoch 1), with one cached method {@code find} by {@code rule}. */
  private record OneMethod(CacheRuntime runtime, FlakyStore store, int id) {
    void cache(long key, String value) {
      runtime.complete(id, runtime.begin(id, null, new Object[] {key}), value);
    }

    Object call(long key) {
      return runtime.begin(id, null, new Object[] {key});
    }
  }

  private OneMethod oneMethod(MethodRule rule) {
    MethodTable methods = new MethodTable(KeyNames.readable("test"), List.of(), EntrySigning.OFF);
    FlakyStore tracked = new FlakyStore();
    tracked.epoch = 1;
    int id = methods.registerCached(getClass().getClassLoader(), "com.acme.Repo#find(long)", "com.acme.Repo#find(long)",
        "(J)Ljava/lang/String;", rule, List.of("java.lang.String"));
    return new OneMethod(new CacheRuntime(methods, tracked), tracked, id);
  }

  private void cache(long id, String value) {
    Object miss = runtime.begin(find, null, new Object[] {id});
    assertThat(miss).isNotInstanceOf(Hit.class);
    runtime.complete(find, miss, value);
  }

  private Object value(long id) {
    Object call = runtime.begin(find, null, new Object[] {id});
    assertThat(call).isInstanceOf(Hit.class);
    return ((Hit) call).value;
  }
}
