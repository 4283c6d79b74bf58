package io.cacheagent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.cacheagent.bootstrap.Hit;
import io.cacheagent.codec.ClassAllowList;
import io.cacheagent.codec.EntrySigning;
import io.cacheagent.codec.ValueCodec;
import io.cacheagent.config.AgentConfig;
import io.cacheagent.config.EvictRule;
import io.cacheagent.config.MethodRule;
import io.cacheagent.config.MethodSignature;
import io.cacheagent.config.MetricsSettings;
import io.cacheagent.gadget.Gadget;
import io.cacheagent.key.CacheKeys;
import io.cacheagent.key.KeyExpression;
import io.cacheagent.key.KeyNames;
import io.cacheagent.key.KeyShape;
import io.cacheagent.secret.Secret;
import io.cacheagent.store.SharedReads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/** The cache logic between the advice and the store, on the in-process store (which tests can take down). */
class CacheRuntimeTest {

  private static final MethodSignature FIND = MethodSignature.parse("com.acme.Repo#find(long)");
  private static final MethodSignature SAVE = MethodSignature.parse("com.acme.Repo#save(com.acme.P)");
  private static final MethodSignature CLEAR = MethodSignature.parse("com.acme.Repo#clear()");

  private final MethodTable table = new MethodTable(KeyNames.readable("test"), List.of(), EntrySigning.OFF);
  private final FlakyStore store = new FlakyStore();
  private final CacheRuntime runtime = new CacheRuntime(table, store);
  private final MethodRule rule = MethodRule.cache(FIND).ttl(Duration.ofMinutes(5)).ttlJitter(0).evictOn(List.of(
      new EvictRule(SAVE, List.of(KeyExpression.parse("args[0]")), false, false),
      new EvictRule(CLEAR, null, true, false))).build();
  private final int find = table.registerCached(getClass().getClassLoader(), "com.acme.Repo#find(long)", "com.acme.Repo#find(long)", "(J)Ljava/lang/String;", rule, List.of("java.lang.String"));
  private final int save = table.registerWrite(getClass().getClassLoader(), "com.acme.Repo#save(com.acme.P)", List.of("com.acme.Repo#save(com.acme.P)"), "(Lcom/acme/P;)V",
      List.of(Eviction.of(rule.evictOn().get(0), rule, KeyNames.readable("test"))));
  private final int clear = table.registerWrite(getClass().getClassLoader(), "com.acme.Repo#clear()", List.of("com.acme.Repo#clear()"), "()V",
      List.of(Eviction.of(rule.evictOn().get(1), rule, KeyNames.readable("test"))));

  @Test
  void miss_thenComplete_thenHit() {
    Object first = runtime.begin(find, null, new Object[] {1L});
    assertThat(first).isNotNull().isNotInstanceOf(Hit.class);
    runtime.complete(find, first, "one");

    assertThat(runtime.begin(find, null, new Object[] {1L})).isInstanceOfSatisfying(Hit.class, hit -> assertThat(hit.value).isEqualTo("one"));
  }

  @Test
  void loadThatStartedBeforeAWrite_cannotStoreItsOldValueAfterIt() {
    Object slowLoad = runtime.begin(find, null, new Object[] {1L}); // reads the database before the write...
    runtime.afterWrite(save, null, new Object[] {1L});               // ...the write commits and evicts...
    runtime.complete(find, slowLoad, "old");                   // ...then the slow load tries to store

    Object next = runtime.begin(find, null, new Object[] {1L});
    assertThat(next).isNotInstanceOf(Hit.class);
    runtime.complete(find, next, "new");
    assertThat(runtime.begin(find, null, new Object[] {1L})).isInstanceOfSatisfying(Hit.class, hit -> assertThat(hit.value).isEqualTo("new"));
  }

  @Test
  void callAfterAnotherJvmsWrite_doesNotJoinALoadBegunBeforeIt() throws Exception {
    Object slowLoad = runtime.begin(find, null, new Object[] {1L}); // found nothing, reads the database...
    OtherJvm writer = otherJvm(rule);
    writer.runtime().afterWrite(writerSave(writer), null, new Object[] {1L}); // ...another JVM writes and evicts...

    Future<Object> later = inAnotherThread(() -> runtime.begin(find, null, new Object[] {1L}), false); // ...then a call here
    Object call;
    try {
      call = later.get(2, TimeUnit.SECONDS);
    } catch (TimeoutException waitsForTheOldLoad) {
      runtime.complete(find, slowLoad, "old");
      call = later.get(5, TimeUnit.SECONDS);
    }

    assertThat(call).as("a load of its own, not the value read before the write").isNotNull().isNotInstanceOf(Hit.class);
    runtime.complete(find, slowLoad, "old");
    runtime.complete(find, call, "new");
    assertThat(runtime.begin(find, null, new Object[] {1L})).isInstanceOfSatisfying(Hit.class, hit -> assertThat(hit.value).isEqualTo("new"));
  }

  @Test
  void aLoadThatOutlivedTheTombstoneOfAWriteMadeWhileItRan_storesNothing() throws Exception {
    MethodRule shortLived = MethodRule.cache(FIND).ttl(Duration.ofMillis(300)).ttlJitter(0).evictOn(rule.evictOn()).build();
    OtherJvm jvm = otherJvm(shortLived);
    int write = jvm.table().registerWrite(getClass().getClassLoader(), "com.acme.Repo#save(com.acme.P)",
        List.of("com.acme.Repo#save(com.acme.P)"), "(Lcom/acme/P;)V", List.of(Eviction.of(shortLived.evictOn().get(0), shortLived, KeyNames.readable("test"))));

    Object slowLoad = jvm.runtime().begin(jvm.find(), null, new Object[] {1L}); // reads the database before the write...
    jvm.runtime().afterWrite(write, null, new Object[] {1L});                   // ...whose tombstone lives 300 ms...
    Thread.sleep(400);                                                          // ...and is gone when the load ends
    jvm.runtime().complete(jvm.find(), slowLoad, "old");

    assertThat(jvm.runtime().begin(jvm.find(), null, new Object[] {1L})).as("the old value, stored over nothing").isNotInstanceOf(Hit.class);
  }

  @Test
  void aWriteWaitsForItsEvictions_beforeItReturns() {
    runtime.afterWrite(save, null, new Object[] {1L});
    runtime.afterWrite(clear, null, new Object[0]);

    assertThat(store.awaited).as("the tombstone, then the new generation").hasSize(2);
  }

  @Test
  void whenBefore_evictsBeforeTheWrite_andAgainAfterIt_soAReadDuringTheWriteCannotKeepTheOldValue() {
    MethodRule evictedBefore = MethodRule.cache(FIND).ttl(Duration.ofMinutes(5)).ttlJitter(0)
        .evictOn(List.of(new EvictRule(SAVE, List.of(KeyExpression.parse("args[0]")), false, true))).build();
    MethodTable beforeTable = new MethodTable(KeyNames.readable("before"), List.of(), EntrySigning.OFF);
    int cached = beforeTable.registerCached(getClass().getClassLoader(), FIND.toString(), FIND.toString(), "(J)Ljava/lang/String;",
        evictedBefore, List.of("java.lang.String"));
    int write = beforeTable.registerWrite(getClass().getClassLoader(), SAVE.toString(), List.of(SAVE.toString()), "(Lcom/acme/P;)V",
        List.of(Eviction.of(evictedBefore.evictOn().get(0), evictedBefore, KeyNames.readable("before"))));
    CacheRuntime before = new CacheRuntime(beforeTable, store);
    before.complete(cached, before.begin(cached, null, new Object[] {1L}), "old");

    before.beforeWrite(write, null, new Object[] {1L});             // the tombstone, then the write runs...
    Object during = before.begin(cached, null, new Object[] {1L});  // ...a read misses, and reads the database before the commit
    before.complete(cached, during, "old");                   // its store replaces the tombstone it saw
    before.afterWrite(write, null, new Object[] {1L});              // the write returned

    assertThat(before.begin(cached, null, new Object[] {1L})).as("the old value is gone").isNotInstanceOf(Hit.class);
  }

  @Test
  void loadThatSawATombstone_cannotStoreAfterASecondWrite() {
    runtime.afterWrite(save, null, new Object[] {1L});
    Object load = runtime.begin(find, null, new Object[] {1L});
    runtime.afterWrite(save, null, new Object[] {1L});
    runtime.complete(find, load, "between writes");

    assertThat(runtime.begin(find, null, new Object[] {1L})).isNotInstanceOf(Hit.class);
  }

  @Test
  void evictAll_dropsEveryEntry_andALoadRacingItIsNeverServed() {
    runtime.complete(find, runtime.begin(find, null, new Object[] {1L}), "one");
    Object racing = runtime.begin(find, null, new Object[] {2L});

    runtime.afterWrite(clear, null, new Object[0]);
    runtime.complete(find, racing, "two, loaded before the clear");

    assertThat(runtime.begin(find, null, new Object[] {1L})).isNotInstanceOf(Hit.class);
    assertThat(runtime.begin(find, null, new Object[] {2L})).isNotInstanceOf(Hit.class);
  }

  @Test
  void evictionWhoseKeyCannotBeComputed_dropsEveryEntry_andIsCounted() {
    MethodSignature rename = MethodSignature.parse("com.acme.Repo#rename(java.lang.String)");
    EvictRule broken = new EvictRule(rename, List.of(KeyExpression.parse("args[0].customerId")), false, false);
    int write = table.registerWrite(getClass().getClassLoader(), rename.toString(), List.of(rename.toString()),
        "(Ljava/lang/String;)V", List.of(Eviction.of(broken, rule, KeyNames.readable("test"))));
    runtime.complete(find, runtime.begin(find, null, new Object[] {1L}), "one");
    runtime.complete(find, runtime.begin(find, null, new Object[] {2L}), "two");

    runtime.afterWrite(write, null, new Object[] {"42"}); // a String has no customerId

    assertThat(runtime.begin(find, null, new Object[] {1L})).isNotInstanceOf(Hit.class);
    assertThat(runtime.begin(find, null, new Object[] {2L})).isNotInstanceOf(Hit.class);
    assertThat(table.evictionKeyFailures(FIND.toString())).isEqualTo(1);
  }

  @Test
  void callsWhileAMethodIsSwitchedOff_areCounted_andLowerItsHitRatio() {
    runtime.complete(find, runtime.begin(find, null, new Object[] {1L}), "one"); // a miss
    runtime.begin(find, null, new Object[] {1L});                               // a hit
    MethodControl control = table.controls(store).get(find);

    control.enable(false);
    assertThat(io.cacheagent.bootstrap.CacheBridge.isOn(find)).isFalse();
    assertThat(io.cacheagent.bootstrap.CacheBridge.isOn(find)).isFalse();
    control.enable(true);
    assertThat(io.cacheagent.bootstrap.CacheBridge.isOn(find)).as("on again: not counted").isTrue();

    MethodSnapshot counters = control.snapshot();
    assertThat(counters.off()).isEqualTo(2);
    assertThat(counters.calls()).isEqualTo(4);
    assertThat(counters.hitRatio()).isEqualTo(0.25);
  }

  @Test
  void evictionRefusedForItsDeclaredTypes_stopsServingItsMethod_andDropsEveryEntryThoughItsKeyComputes() {
    MethodSignature relabel = MethodSignature.parse("com.acme.Repo#relabel(com.acme.Label)");
    EvictRule neverMatches = new EvictRule(relabel, List.of(KeyExpression.parse("args[0].name")), false, false);
    runtime.complete(find, runtime.begin(find, null, new Object[] {1L}), "one");

    table.refuse(rule, neverMatches, "\"args[0].name\" yields a java.lang.String, but part 1 of the key of " + FIND + " is a long");
    int write = table.registerWrite(getClass().getClassLoader(), relabel.toString(), List.of(relabel.toString()),
        "(Lcom/acme/Label;)V", List.of(Eviction.of(neverMatches, rule, KeyNames.readable("test"))));

    assertThat(io.cacheagent.bootstrap.CacheBridge.isOn(find)).as("not served in this JVM").isFalse();
    assertThat(table.controls(store).get(find).enabled()).isFalse();
    runtime.afterWrite(write, null, new Object[] {new Label("1")}); // "s1:1" would never equal the key of find(1L)
    assertThat(runtime.begin(find, null, new Object[] {1L})).as("every entry dropped, for other JVMs").isNotInstanceOf(Hit.class);
    assertThat(table.evictionKeyFailures(FIND.toString())).isEqualTo(1);
  }

  /** A value with a name, as a write's argument. */
  public record Label(String name) {}

  @Test
  void nullResult_isNotStoredUnlessCacheNulls() {
    runtime.complete(find, runtime.begin(find, null, new Object[] {3L}), null);

    assertThat(runtime.begin(find, null, new Object[] {3L})).isNotInstanceOf(Hit.class);
  }

  @Test
  void beforeWriteRules_doNotRunAfterTheWrite() {
    runtime.complete(find, runtime.begin(find, null, new Object[] {4L}), "four");

    runtime.beforeWrite(save, null, new Object[] {4L}); // the save rule evicts after, not before

    assertThat(runtime.begin(find, null, new Object[] {4L})).isInstanceOf(Hit.class);
  }

  @Test
  void storeDown_callsRunUncached() {
    runtime.complete(find, runtime.begin(find, null, new Object[] {1L}), "one");
    store.down = true;

    assertThat(runtime.begin(find, null, new Object[] {1L})).as("runs the method, uncached").isNull();
    assertThat(table.cached(find).stats.uncached.sum()).isEqualTo(1);
  }

  @Test
  void hitRatio_isTheShareOfAllCallsTheCacheAnswered_soThatItFallsWhileTheStoreIsDown() {
    runtime.complete(find, runtime.begin(find, null, new Object[] {1L}), "one"); // a miss
    runtime.begin(find, null, new Object[] {1L});                               // a hit
    store.down = true;
    runtime.begin(find, null, new Object[] {1L});                               // uncached
    runtime.begin(find, null, new Object[] {1L});                               // uncached

    MethodSnapshot counters = table.snapshots(store).get(0);
    assertThat(counters.served()).isEqualTo(1);
    assertThat(counters.calls()).isEqualTo(4);
    assertThat(counters.hitRatio()).isEqualTo(0.25);
    assertThat(MethodSnapshot.hitRatio(List.of(counters, counters))).isEqualTo(0.25);
  }

  @Test
  void evictionMissedWhileStoreWasDown_isMadeGoodOnceItAnswers_withoutAnyRead() throws Exception {
    runtime.complete(find, runtime.begin(find, null, new Object[] {1L}), "one");
    String generationKey = table.cached(find).generationKey().name();
    byte[] generation = store.get(generationKey)[0];
    store.down = true;
    runtime.afterWrite(save, null, new Object[] {1L}); // its tombstone never reaches the store
    store.down = false;

    awaitNewGeneration(generationKey, generation);
    assertThat(store.get(generationKey)[0]).as("every entry dropped: a new generation").isNotEqualTo(generation);
  }

  @Test
  void dropsOfMissedEvictions_areRetriedOnceASecond_notMoreWhileTheStoreStaysDown() throws Exception {
    MethodRule other = MethodRule.cache(MethodSignature.parse("com.acme.Repo#other(long)")).index(1).ttl(Duration.ofMinutes(5))
        .ttlJitter(0).evictOn(List.of(new EvictRule(CLEAR, null, true, false))).build();
    table.registerCached(getClass().getClassLoader(), "com.acme.Repo#other(long)", "com.acme.Repo#other(long)", "(J)Ljava/lang/String;",
        other, List.of("java.lang.String"));
    int clearBoth = table.registerWrite(getClass().getClassLoader(), "com.acme.Repo#clear()", List.of("com.acme.Repo#clear()"), "()V",
        List.of(Eviction.of(rule.evictOn().get(1), rule, KeyNames.readable("test")), Eviction.of(other.evictOn().get(0), other, KeyNames.readable("test"))));
    store.down = true;
    runtime.afterWrite(clearBoth, null, new Object[0]); // two methods miss an eviction
    int before = store.writes.get();

    Thread.sleep(3_500);

    assertThat(store.writes.get() - before).as("about one drop per method a second").isBetween(2, 12);
  }

  @Test
  void aReadInFlightWhileTheDropOfAMissedEvictionLands_isNotServed() throws Exception {
    runtime.complete(find, runtime.begin(find, null, new Object[] {1L}), "old");
    String generationKey = table.cached(find).generationKey().name();
    byte[] generation = store.get(generationKey)[0];
    store.down = true;
    runtime.afterWrite(save, null, new Object[] {1L}); // its tombstone never reaches the store
    store.down = false;
    store.holdNextRead();
    Future<Object> reading = inAnotherThread(() -> runtime.begin(find, null, new Object[] {1L})); // reads "old", answer held

    awaitNewGeneration(generationKey, generation); // the drop, retried within a second, has landed
    store.releaseRead();

    Object call = reading.get(10, TimeUnit.SECONDS);
    assertThat(call instanceof Hit).as("read while the eviction was still missed: not served").isFalse();
  }

  @Test
  void evictionMissedWhileStoreWasDown_noEntryOfThatMethodIsServedAgain() {
    runtime.complete(find, runtime.begin(find, null, new Object[] {1L}), "one");
    runtime.complete(find, runtime.begin(find, null, new Object[] {2L}), "two");
    store.down = true;
    runtime.afterWrite(save, null, new Object[] {1L}); // its tombstone never reaches the store
    store.down = false;

    assertThat(runtime.begin(find, null, new Object[] {1L})).as("runs uncached while the drop is sent").isNull();
    assertThat(runtime.begin(find, null, new Object[] {1L})).as("entry 1 is gone").isNotNull().isNotInstanceOf(Hit.class);
    assertThat(runtime.begin(find, null, new Object[] {2L})).as("and so is every other entry").isNotInstanceOf(Hit.class);
  }

  @Test
  void evictionMissed_theMethodIsCachedAgainOnceTheDropIsConfirmed() {
    store.down = true;
    runtime.afterWrite(save, null, new Object[] {1L});
    store.down = false;
    store.holdConfirmations = true;
    runtime.begin(find, null, new Object[] {1L}); // sends the drop; unconfirmed

    assertThat(runtime.begin(find, null, new Object[] {1L})).as("drop not yet confirmed").isNull();
    store.confirmHeldWrites();
    Object miss = runtime.begin(find, null, new Object[] {1L});
    runtime.complete(find, miss, "fresh");
    assertThat(runtime.begin(find, null, new Object[] {1L})).isInstanceOfSatisfying(Hit.class, hit -> assertThat(hit.value).isEqualTo("fresh"));
  }

  @Test
  void evictionMissedWhileADropIsInFlight_needsAnotherDrop() {
    store.down = true;
    runtime.afterWrite(save, null, new Object[] {1L});
    store.down = false;
    store.holdConfirmations = true;
    runtime.begin(find, null, new Object[] {1L}); // the first drop is sent...
    store.down = true;
    runtime.afterWrite(save, null, new Object[] {1L}); // ...a second eviction is missed after it was sent...
    store.down = false;
    store.confirmHeldWrites();                   // ...so its confirmation does not end the outage

    assertThat(runtime.begin(find, null, new Object[] {1L})).isNull();
    store.confirmHeldWrites();
    assertThat(runtime.begin(find, null, new Object[] {1L})).isNotNull();
  }

  @Test
  void evictionMissed_aReadOfAnotherMethodSendsTheDrop() {
    MethodRule other = MethodRule.cache(MethodSignature.parse("com.acme.Repo#count()")).index(1).ttl(Duration.ofMinutes(5))
        .ttlJitter(0).build();
    int count = table.registerCached(getClass().getClassLoader(), "com.acme.Repo#count()", "com.acme.Repo#count()", "()Ljava/lang/String;", other, List.of("java.lang.String"));
    runtime.complete(find, runtime.begin(find, null, new Object[] {1L}), "one");
    store.down = true;
    runtime.afterWrite(save, null, new Object[] {1L});
    store.down = false;

    runtime.begin(count, null, new Object[0]);

    assertThat(runtime.begin(find, null, new Object[] {1L})).isNotNull().isNotInstanceOf(Hit.class);
  }

  @Test
  void plantedEntryOfAClassOutsideTheAllowList_isRefusedCountedAndReplaced() throws Exception {
    Object miss = runtime.begin(find, null, new Object[] {1L});
    runtime.complete(find, miss, "one");
    String key = keyOfFind(1L);
    byte[] genuine = store.get(key)[0];
    ValueCodec attacker = new ValueCodec(getClass().getClassLoader(), new ClassAllowList(List.of("io.cacheagent.gadget")));
    store.set(key, attacker.encode(ValueCodec.generationOf(genuine), ValueCodec.shapeOf(genuine),
        new HashMap<>(Map.of(new Gadget("payload"), "x"))), Duration.ofMinutes(5));
    int triggeredBefore = Gadget.TRIGGERED.get();

    Object call = runtime.begin(find, null, new Object[] {1L});

    assertThat(call).isNotNull().isNotInstanceOf(Hit.class);
    assertThat(table.cached(find).stats.refused.sum()).isEqualTo(1);
    assertThat(Gadget.TRIGGERED.get()).isEqualTo(triggeredBefore);
    runtime.complete(find, call, "one again");
    assertThat(runtime.begin(find, null, new Object[] {1L})).isInstanceOfSatisfying(Hit.class, hit -> assertThat(hit.value).isEqualTo("one again"));
  }

  @Test
  void signingOn_plantedEntriesAreNotRead_butCountedRefusedAndReplaced_whileOffTheyAreServed() throws Exception {
    EntrySigning signing = EntrySigning.with(Secret.fromEnvironment("CACHE_AGENT_SIGNING_KEY", "a-signing-key-for-tests-only"), null);
    EntrySigning attackers = EntrySigning.with(Secret.fromEnvironment("CACHE_AGENT_SIGNING_KEY", "not-the-key-the-agents-hold"), null);
    String key = keyOfFind(1L);
    // An allow list that takes the gadget too: only the signature stands between the bytes and Kryo.
    ValueCodec codec = new ValueCodec(getClass().getClassLoader(), new ClassAllowList(List.of("io.cacheagent.gadget")));

    for (EntrySigning agents : List.of(EntrySigning.OFF, signing)) {
      MethodTable signingTable = new MethodTable(KeyNames.readable("test"), List.of("io.cacheagent.gadget"), agents);
      FlakyStore redis = new FlakyStore();
      CacheRuntime signingRuntime = new CacheRuntime(signingTable, redis);
      int id = signingTable.registerCached(getClass().getClassLoader(), "com.acme.Repo#find(long)", "com.acme.Repo#find(long)",
          "(J)Ljava/lang/Object;", rule, List.of("java.lang.Object"));
      signingRuntime.complete(id, signingRuntime.begin(id, null, new Object[] {1L}), "price 10");
      byte[] genuine = redis.get(key)[0];
      long generation = ValueCodec.generationOf(genuine);
      long shape = ValueCodec.shapeOf(genuine);
      assertThat(signingRuntime.begin(id, null, new Object[] {1L})).isInstanceOfSatisfying(Hit.class, hit -> assertThat(hit.value).isEqualTo("price 10"));

      List<byte[]> planted = List.of(
          codec.encode(generation, shape, "price 1"), // no signature
          attackers.sign(key, codec.encode(generation, shape, "price 2"), Duration.ofMinutes(5)), // signed with another key
          signing.sign("test:another-key", codec.encode(generation, shape, "price 3"), Duration.ofMinutes(5)), // signed for another key
          codec.encode(generation, shape, new HashMap<>(Map.of(new Gadget("payload"), "x"))));
      int triggeredBefore = Gadget.TRIGGERED.get(); // building the map ran it

      if (agents == EntrySigning.OFF) {
        redis.set(key, planted.get(0), Duration.ofMinutes(5));
        assertThat(signingRuntime.begin(id, null, new Object[] {1L})).as("unsigned, a planted value is served")
            .isInstanceOfSatisfying(Hit.class, hit -> assertThat(hit.value).isEqualTo("price 1"));
        redis.set(key, planted.get(3), Duration.ofMinutes(5));
        signingRuntime.begin(id, null, new Object[] {1L});
        assertThat(Gadget.TRIGGERED.get()).as("what the allow list takes, Kryo builds").isGreaterThan(triggeredBefore);
        continue;
      }
      for (byte[] bytes : planted) {
        redis.set(key, bytes, Duration.ofMinutes(5));
        Object call = signingRuntime.begin(id, null, new Object[] {1L});
        assertThat(call).isNotNull().isNotInstanceOf(Hit.class);
        signingRuntime.complete(id, call, "price 10");
        assertThat(signingRuntime.begin(id, null, new Object[] {1L})).as("replaced")
            .isInstanceOfSatisfying(Hit.class, hit -> assertThat(hit.value).isEqualTo("price 10"));
      }
      assertThat(signingTable.cached(id).stats.refused.sum()).isEqualTo(4);
      assertThat(Gadget.TRIGGERED.get()).as("not one byte reached Kryo").isEqualTo(triggeredBefore);
    }
  }

  @Test
  void reloadedSerializationAllow_letsAValueThatWasRefusedBeCached() {
    MethodRule anyValue = MethodRule.cache(MethodSignature.parse("com.acme.Repo#any(long)")).ttl(Duration.ofMinutes(5)).build();
    int any = table.registerCached(getClass().getClassLoader(), "com.acme.Repo#any(long)", "com.acme.Repo#any(long)",
        "(J)Ljava/lang/Object;", anyValue, List.of("java.lang.Object"));
    java.awt.Point point = new java.awt.Point(3, 4);
    runtime.complete(any, runtime.begin(any, null, new Object[] {1L}), point);
    assertThat(runtime.begin(any, null, new Object[] {1L})).as("java.awt is not allowed").isNotInstanceOf(Hit.class);
    assertThat(table.cached(any).stats.unencodable.sum()).isEqualTo(1);

    table.reconfigure(new AgentConfig("test.yaml", null, KeyNames.readable("test"), EntrySigning.OFF, List.of("java.awt.Point"),
        MetricsSettings.NONE, List.of(rule, anyValue)));
    runtime.complete(any, runtime.begin(any, null, new Object[] {2L}), point);

    assertThat(runtime.begin(any, null, new Object[] {2L})).isInstanceOfSatisfying(Hit.class, hit -> assertThat(hit.value).isEqualTo(point));
  }

  @Test
  void concurrentMissesOfOneKey_runTheMethodOnce_andEachGetsItsOwnCopy() throws Exception {
    int list = table.registerCached(getClass().getClassLoader(), "com.acme.Repo#tags(long)", "com.acme.Repo#tags(long)", "(J)Ljava/util/List;",
        rule("com.acme.Repo#tags(long)"), List.of("java.util.List", "java.lang.String"));
    Object leader = runtime.begin(list, null, new Object[] {1L});
    assertThat(leader).isNotNull().isNotInstanceOf(Hit.class);

    Future<Object> follower = inAnotherThread(() -> runtime.begin(list, null, new Object[] {1L}));
    List<String> loaded = new ArrayList<>(List.of("a", "b"));
    runtime.complete(list, leader, loaded);

    assertThat(follower.get(10, TimeUnit.SECONDS)).isInstanceOfSatisfying(Hit.class, hit -> assertThat(hit.value)
        .isEqualTo(loaded).isNotSameAs(loaded));
    assertThat(table.cached(list).stats.coalesced.sum()).isEqualTo(1);
    assertThat(table.cached(list).stats.misses.sum()).isEqualTo(1);
  }

  @Test
  void concurrentMissesBeforeTheMethodHasAGeneration_runTheMethodOnce() throws Exception {
    store.holdNextRead();
    Future<Object> follower = inAnotherThread(() -> runtime.begin(find, null, new Object[] {1L}), false);
    while (store.reads.get() == 0) {
      Thread.sleep(5); // its read found no entry and no generation, and is held
    }
    Object leader = runtime.begin(find, null, new Object[] {1L}); // found the same, and makes a generation up first
    assertThat(leader).isNotNull().isNotInstanceOf(Hit.class);
    store.releaseRead(); // the follower makes up another generation, which is not stored
    awaitWaitingForALoad("follower");
    runtime.complete(find, leader, "one");

    assertThat(follower.get(10, TimeUnit.SECONDS)).isInstanceOfSatisfying(Hit.class, hit -> assertThat(hit.value).isEqualTo("one"));
    assertThat(table.cached(find).stats.misses.sum()).as("loads").isEqualTo(1);
  }

  @Test
  void followerOfAFastMethod_waitsAboutAsLongAsItsLoadsTake_notTenSeconds() throws Exception {
    for (int i = 0; i < 10; i++) {
      table.cached(find).stats.loadNanos.recordValue(TimeUnit.MILLISECONDS.toNanos(2));
    }
    Object stuck = runtime.begin(find, null, new Object[] {1L}); // a load waiting for a lock the follower holds, say

    Object follower = inAnotherThread(() -> runtime.begin(find, null, new Object[] {1L}), false).get(5, TimeUnit.SECONDS);

    assertThat(follower).as("runs the method itself, uncached").isNull();
    assertThat(table.cached(find).stats.uncached.sum()).isEqualTo(1);
    runtime.abandon(find, stuck);
  }

  @Test
  void leaderThrows_followerRunsTheMethodItself() throws Exception {
    Object leader = runtime.begin(find, null, new Object[] {1L});
    Future<Object> follower = inAnotherThread(() -> runtime.begin(find, null, new Object[] {1L}));

    runtime.abandon(find, leader);

    assertThat(follower.get(10, TimeUnit.SECONDS)).isNull();
  }

  @Test
  void missesWhileTheStoreIsDown_eachRunTheMethod_forNoneCanSeeAnotherJvmsWrite() throws Exception {
    store.down = true;
    Object first = runtime.begin(find, null, new Object[] {1L});

    Object second = inAnotherThread(() -> runtime.begin(find, null, new Object[] {1L}), false).get(5, TimeUnit.SECONDS);

    assertThat(first).isNull();
    assertThat(second).as("does not wait for a load that may predate a write it cannot see").isNull();
    assertThat(table.cached(find).stats.uncached.sum()).isEqualTo(2);
  }

  @Test
  void aLoadThatAWriteOvertook_isNotJoinedByLaterCalls() throws Exception {
    Object leader = runtime.begin(find, null, new Object[] {1L}); // reads the database before the write
    runtime.afterWrite(save, null, new Object[] {1L});

    Object later = inAnotherThread(() -> runtime.begin(find, null, new Object[] {1L}), false).get(10, TimeUnit.SECONDS);

    assertThat(later).as("starts a load of its own instead of waiting for the old one").isNotNull().isNotInstanceOf(Hit.class);
    runtime.complete(find, leader, "old");
  }

  @Test
  void concurrentLookupsOfOneKey_shareOneRead_andEachGetsItsOwnCopy() throws Exception {
    CacheRuntime runtime = new CacheRuntime(table, new SharedReads(store, Duration.ofSeconds(10)));
    int list = table.registerCached(getClass().getClassLoader(), "com.acme.Repo#tags(long)", "com.acme.Repo#tags(long)", "(J)Ljava/util/List;",
        rule("com.acme.Repo#tags(long)"), List.of("java.util.List", "java.lang.String"));
    Object miss = runtime.begin(list, null, new Object[] {1L});
    runtime.complete(list, miss, new ArrayList<>(List.of("a", "b")));
    int readsBefore = store.reads.get();

    store.holdNextRead();
    Future<Object> reading = inAnotherThread(() -> runtime.begin(list, null, new Object[] {1L}));
    Future<Object> sending = inAnotherThread(() -> runtime.begin(list, null, new Object[] {1L})); // sends the next read
    Future<Object> joining = inAnotherThread(() -> runtime.begin(list, null, new Object[] {1L})); // shares it
    store.releaseRead();

    reading.get(10, TimeUnit.SECONDS);
    Hit first = (Hit) sending.get(10, TimeUnit.SECONDS);
    Hit second = (Hit) joining.get(10, TimeUnit.SECONDS);
    assertThat(store.reads.get() - readsBefore).as("reads of the store").isEqualTo(2);
    assertThat(first.value).isEqualTo(List.of("a", "b")).isNotSameAs(second.value);
    assertThat(second.value).isEqualTo(List.of("a", "b"));
    assertThat(table.cached(list).stats.hits(table.cached(list).stats.nearHits.sum())).isEqualTo(3);
  }

  @Test
  void aCallThatBeginsAfterAnotherJvmsWrite_neverGetsTheAnswerOfAReadSentBeforeIt() throws Exception {
    CacheRuntime runtime = sharingReads(Duration.ofSeconds(10), "old");
    store.holdNextRead();
    Future<Object> before = inAnotherThread(() -> runtime.begin(find, null, new Object[] {1L})); // read "old", answer on its way...
    OtherJvm writer = otherJvm(rule);
    writer.runtime().afterWrite(writerSave(writer), null, new Object[] {1L}); // ...another JVM's write returns...

    Future<Object> later = inAnotherThread(() -> runtime.begin(find, null, new Object[] {1L})); // ...then a call begins here
    store.releaseRead();

    assertThat(before.get(10, TimeUnit.SECONDS)).isInstanceOf(Hit.class);
    Object call = later.get(10, TimeUnit.SECONDS);
    assertThat(call).as("a read of its own, sent after it began: a miss").isNotNull().isNotInstanceOf(Hit.class);
    runtime.abandon(find, call);
  }

  @Test
  void callsArrivingWhileAReadIsInFlight_shareTheOneReadSentAfterIt() throws Exception {
    CacheRuntime runtime = sharingReads(Duration.ofSeconds(10), "one");
    int readsBefore = store.reads.get();
    store.holdNextRead();
    Future<Object> first = inAnotherThread(() -> runtime.begin(find, null, new Object[] {1L}));
    List<Future<Object>> arriving = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      arriving.add(inAnotherThread(() -> runtime.begin(find, null, new Object[] {1L})));
    }
    store.releaseRead();

    assertThat(first.get(10, TimeUnit.SECONDS)).isInstanceOf(Hit.class);
    for (Future<Object> call : arriving) {
      assertThat(call.get(10, TimeUnit.SECONDS)).isInstanceOf(Hit.class);
    }
    assertThat(store.reads.get() - readsBefore).as("the read in flight, and one sent after it for the three").isEqualTo(2);
  }

  @Test
  void aReadInFlightWhenAWriteEvicts_isNotJoinedByLaterCalls() throws Exception {
    CacheRuntime runtime = sharingReads(Duration.ofSeconds(10), "old");
    store.holdNextRead();
    Future<Object> before = inAnotherThread(() -> runtime.begin(find, null, new Object[] {1L})); // read "old", answer on its way...
    runtime.afterWrite(save, null, new Object[] {1L});                                          // ...when the write evicts

    assertLaterCallMisses(runtime);
    assertThat(before.get(10, TimeUnit.SECONDS)).as("began before the write: the old answer is right for it")
        .isInstanceOfSatisfying(Hit.class, hit -> assertThat(hit.value).isEqualTo("old"));
  }

  @Test
  void aReadSentJustBeforeTheEvictionReachesTheStore_isNotJoinedByLaterCalls() throws Exception {
    CacheRuntime runtime = sharingReads(Duration.ofSeconds(10), "old");
    List<Future<Object>> racing = new ArrayList<>();
    store.beforeNextSet = () -> { // between the eviction's start and its tombstone: a lookup reads "old"
      store.holdNextRead();
      try {
        racing.add(inAnotherThread(() -> runtime.begin(find, null, new Object[] {1L})));
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    };
    runtime.afterWrite(save, null, new Object[] {1L});

    assertThat(racing).hasSize(1);
    assertLaterCallMisses(runtime);
    racing.get(0).get(10, TimeUnit.SECONDS); // concurrent with the write: either answer is right; it must only end
  }

  @Test
  void aReadInFlightWhenAllEntriesAreDropped_isNotJoinedByLaterCalls() throws Exception {
    CacheRuntime runtime = sharingReads(Duration.ofSeconds(10), "old");
    store.holdNextRead();
    Future<Object> before = inAnotherThread(() -> runtime.begin(find, null, new Object[] {1L}));
    runtime.afterWrite(clear, null, new Object[0]); // evictOn clear(), all: true: a new generation

    assertLaterCallMisses(runtime);
    before.get(10, TimeUnit.SECONDS);
  }

  @Test
  void aCallerThatJoinsAReadWaitsNoLongerThanTheReadTimeout_thenRunsUncached() throws Exception {
    CacheRuntime runtime = sharingReads(Duration.ofMillis(50), "one");
    store.holdNextRead();
    Future<Object> reading = inAnotherThread(() -> runtime.begin(find, null, new Object[] {1L}));

    Object joining = inAnotherThread(() -> runtime.begin(find, null, new Object[] {1L}), false).get(5, TimeUnit.SECONDS);
    store.releaseRead();

    assertThat(joining).as("runs the method uncached, as when Redis does not answer").isNull();
    assertThat(table.cached(find).stats.uncached.sum()).isEqualTo(1);
    assertThat(reading.get(10, TimeUnit.SECONDS)).isInstanceOf(Hit.class);
  }

  /** A runtime whose concurrent reads share one (callers that join wait at most {@code readTimeout}), with {@code find(1)} cached as {@code value}. */
  private CacheRuntime sharingReads(Duration readTimeout, String value) {
    CacheRuntime runtime = new CacheRuntime(table, new SharedReads(store, readTimeout));
    Object miss = runtime.begin(find, null, new Object[] {1L});
    runtime.complete(find, miss, value);
    return runtime;
  }

  /** A call that starts now, after a write returned, reads for itself and misses; then the read held before is released. */
  private void assertLaterCallMisses(CacheRuntime runtime) throws Exception {
    int readsBefore = store.reads.get();
    Object later = inAnotherThread(() -> runtime.begin(find, null, new Object[] {1L}), false).get(5, TimeUnit.SECONDS);
    store.releaseRead();
    assertThat(store.reads.get() - readsBefore).as("reads of its own").isEqualTo(1);
    assertThat(later).as("a miss, not the old entry").isNotNull().isNotInstanceOf(Hit.class);
    runtime.abandon(find, later);
  }

  /** Waits, at most 5 s, until the thread named {@code name} waits for another thread's load. */
  private static void awaitWaitingForALoad(String name) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (System.nanoTime() < deadline) {
      for (Map.Entry<Thread, StackTraceElement[]> thread : Thread.getAllStackTraces().entrySet()) {
        if (thread.getKey().getName().equals(name) && java.util.Arrays.stream(thread.getValue())
            .anyMatch(frame -> frame.getClassName().equals(InFlightLoads.class.getName()) && frame.getMethodName().equals("await"))) {
          return;
        }
      }
      Thread.sleep(5);
    }
  }

  /** Waits, at most 5 s, until the store holds another generation than {@code generation} under {@code generationKey}. */
  private void awaitNewGeneration(String generationKey, byte[] generation) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (java.util.Arrays.equals(store.get(generationKey)[0], generation) && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
  }

  /** The key of {@code find(value)} as the table of this test names it: one Redis server. */
  private static String keyOfFind(long value) throws Exception {
    KeyNames names = KeyNames.readable("test");
    return CacheKeys.key(names.namespace("com.acme.Repo#find(long)"), names.generationKey("com.acme.Repo#find(long)", null), null,
        KeyShape.of(List.of("long"), null), null, new Object[] {value});
  }

  private MethodRule rule(String signature) {
    return MethodRule.cache(MethodSignature.parse(signature)).index(1).ttl(Duration.ofMinutes(5)).ttlJitter(0).build();
  }

  private static Future<Object> inAnotherThread(Callable<Object> call) throws InterruptedException {
    return inAnotherThread(call, true);
  }

  /** Runs {@code call} in a new thread; with {@code awaitParked}, returns once that thread waits. */
  private static Future<Object> inAnotherThread(Callable<Object> call, boolean awaitParked) throws InterruptedException {
    FutureTask<Object> task = new FutureTask<>(call);
    Thread thread = new Thread(task, "follower");
    thread.start();
    while (awaitParked && thread.getState() != Thread.State.TIMED_WAITING && !task.isDone()) {
      Thread.sleep(5);
    }
    return task;
  }

  /** A second JVM on the same store: its own table and runtime, the same configuration. */
  private record OtherJvm(CacheRuntime runtime, int find, MethodTable table) {}

  private OtherJvm otherJvm(MethodRule rule) {
    return otherJvm(rule, System::nanoTime);
  }

  private OtherJvm otherJvm(MethodRule rule, LongSupplier nanoClock) {
    MethodTable otherTable = new MethodTable(KeyNames.readable("test"), List.of(), EntrySigning.OFF);
    int id = otherTable.registerCached(getClass().getClassLoader(), "com.acme.Repo#find(long)", "com.acme.Repo#find(long)", "(J)Ljava/lang/String;", rule,
        List.of("java.lang.String"));
    return new OtherJvm(new CacheRuntime(otherTable, store, nanoClock), id, otherTable);
  }

  /** Registers, in another JVM's table, the write that evicts {@code find} by its argument. */
  private int writerSave(OtherJvm jvm) {
    return jvm.table().registerWrite(getClass().getClassLoader(), "com.acme.Repo#save(com.acme.P)", List.of("com.acme.Repo#save(com.acme.P)"),
        "(Lcom/acme/P;)V", List.of(Eviction.of(rule.evictOn().get(0), rule, KeyNames.readable("test"))));
  }

  private MethodRule stampedeLocked() {
    return MethodRule.cache(FIND).ttl(Duration.ofMinutes(5)).ttlJitter(0).stampedeLock(true).build();
  }

  @Test
  void stampedeLock_aSecondJvmWaitsForTheEntryOfTheJvmThatHoldsTheLease() throws Exception {
    OtherJvm first = otherJvm(stampedeLocked());
    OtherJvm second = otherJvm(stampedeLocked());
    Object loading = first.runtime().begin(first.find(), null, new Object[] {1L});
    assertThat(loading).isNotNull().isNotInstanceOf(Hit.class);

    Future<Object> waiting = inAnotherThread(() -> second.runtime().begin(second.find(), null, new Object[] {1L}));
    first.runtime().complete(first.find(), loading, "loaded by the first JVM");

    assertThat(waiting.get(10, TimeUnit.SECONDS)).isInstanceOfSatisfying(Hit.class,
        hit -> assertThat(hit.value).isEqualTo("loaded by the first JVM"));
  }

  @Test
  void stampedeLock_whenTheLeaseHolderNeverStores_theOtherJvmLoadsItselfAfterTheLease() throws Exception {
    OtherJvm first = otherJvm(stampedeLocked());
    OtherJvm second = otherJvm(stampedeLocked());
    long started = System.nanoTime(); // before the lease is taken: it ends LEASE after that, not after the wait began
    first.runtime().begin(first.find(), null, new Object[] {1L}); // takes the lease, then hangs

    Object own = second.runtime().begin(second.find(), null, new Object[] {1L});

    assertThat(own).as("a miss of its own").isNotNull().isNotInstanceOf(Hit.class);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Leases.LEASE);
  }

  @Test
  void stampedeLock_aJvmWaitsForAnotherJvmsLease_noLongerThanTheLeaseLastsOnItsClock() throws Exception {
    OtherJvm first = otherJvm(stampedeLocked());
    AtomicLong clock = new AtomicLong();
    OtherJvm second = otherJvm(stampedeLocked(), () -> clock.addAndGet(Leases.LEASE.toNanos() / 10)); // each look: a tenth of it
    first.runtime().begin(first.find(), null, new Object[] {1L}); // takes the lease, then hangs

    long started = System.nanoTime();
    Object own = second.runtime().begin(second.find(), null, new Object[] {1L});

    assertThat(own).as("a miss of its own, the lease still held in the store").isNotNull().isNotInstanceOf(Hit.class);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).as("ten looks, not the lease's real 2 s").isLessThan(Leases.LEASE);
  }

  @Test
  void stampedeLock_aWriteWhileAnotherJvmLoads_endsTheWaitAtOnce() throws Exception {
    OtherJvm first = otherJvm(stampedeLocked());
    OtherJvm second = otherJvm(stampedeLocked());
    first.runtime().complete(first.find(), first.runtime().begin(first.find(), null, new Object[] {1L}), "old");
    store.set(keyOfFind(1L), ValueCodec.tombstone(),
        Duration.ofMinutes(5)); // an earlier write
    Object loading = first.runtime().begin(first.find(), null, new Object[] {1L});
    assertThat(loading).isNotInstanceOf(Hit.class);

    Future<Object> waiting = inAnotherThread(() -> second.runtime().begin(second.find(), null, new Object[] {1L}));
    Thread.sleep(100);
    store.set(keyOfFind(1L), ValueCodec.tombstone(),
        Duration.ofMinutes(5)); // a write while the first JVM loads

    assertThat(waiting.get(1, TimeUnit.SECONDS)).as("runs the method itself, long before the lease ends")
        .isNotNull().isNotInstanceOf(Hit.class);
  }

  @Test
  void aThreadThatLeadsALoad_neverWaitsForAnotherThreadsLoad() throws Exception {
    Future<Object> otherLeader = inAnotherThread(() -> runtime.begin(find, null, new Object[] {2L}), false);
    assertThat(otherLeader.get(10, TimeUnit.SECONDS)).isNotInstanceOf(Hit.class); // leads key 2, never completes
    Object mine = runtime.begin(find, null, new Object[] {1L}); // this thread leads key 1...

    long started = System.nanoTime();
    Object nested = runtime.begin(find, null, new Object[] {2L}); // ...and its method needs key 2

    assertThat(nested).as("runs uncached instead of waiting").isNull();
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    runtime.complete(find, mine, "one");
  }

  @Test
  void reloadThatChangesTheKey_neverServesEntriesStoredUnderTheOldKey() {
    runtime.complete(find, runtime.begin(find, null, new Object[] {1L}), "keyed by all arguments");
    MethodRule rekeyed = MethodRule.cache(FIND).ttl(Duration.ofMinutes(5)).ttlJitter(0).key(List.of(KeyExpression.parse("args[0]")))
        .evictOn(rule.evictOn()).build();

    table.reconfigure(new AgentConfig("test.yaml", null, KeyNames.readable("test"), EntrySigning.OFF, List.of(), MetricsSettings.NONE, List.of(rekeyed)));

    assertThat(runtime.begin(find, null, new Object[] {1L})).isNotInstanceOf(Hit.class);
  }

  @Test
  void ruleRemovedByAReload_keepsItsEvictions_soThatItIsRightWhenItComesBack() {
    runtime.complete(find, runtime.begin(find, null, new Object[] {1L}), "before the removal");
    table.reconfigure(new AgentConfig("test.yaml", null, KeyNames.readable("test"), EntrySigning.OFF, List.of(), MetricsSettings.NONE, List.of()));
    assertThat(table.cached(find).rule.enabled()).as("switched off (the advice checks the switch)").isFalse();

    runtime.afterWrite(save, null, new Object[] {1L}); // a write while the rule is gone
    table.reconfigure(new AgentConfig("test.yaml", null, KeyNames.readable("test"), EntrySigning.OFF, List.of(), MetricsSettings.NONE, List.of(rule)));

    assertThat(runtime.begin(find, null, new Object[] {1L})).as("the write evicted it").isNotNull().isNotInstanceOf(Hit.class);
  }
}
