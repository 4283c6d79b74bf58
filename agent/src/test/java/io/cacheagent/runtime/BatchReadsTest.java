package io.cacheagent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.cacheagent.bootstrap.Arguments;
import io.cacheagent.bootstrap.Hit;
import io.cacheagent.codec.EntrySigning;
import io.cacheagent.config.EvictRule;
import io.cacheagent.config.MethodRule;
import io.cacheagent.config.MethodSignature;
import io.cacheagent.key.KeyExpression;
import io.cacheagent.key.KeyNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Batch methods on the in-process store: one entry per element, the body asked for the missing ones only. */
class BatchReadsTest {

  private static final MethodSignature FIND_ALL = MethodSignature.parse("com.acme.Repo#findAll(java.util.Collection)");
  private static final MethodSignature NAMES = MethodSignature.parse("com.acme.Repo#names(java.util.Collection)");
  private static final MethodSignature SAVE = MethodSignature.parse("com.acme.Repo#save(long)");
  private static final KeyNames KEYS = KeyNames.readable("test");

  private final MethodTable table = new MethodTable(KEYS, List.of(), EntrySigning.OFF);
  private final FlakyStore store = new FlakyStore();
  private final CacheRuntime runtime = new CacheRuntime(table, store);
  private final MethodRule listRule = MethodRule.cache(FIND_ALL).ttl(Duration.ofMinutes(5)).ttlJitter(0).batch(0)
      .evictOn(List.of(new EvictRule(SAVE, List.of(KeyExpression.parse("args[0]")), false, false))).build();
  private final int findAll = table.registerCached(getClass().getClassLoader(), FIND_ALL.toString(), FIND_ALL.toString(),
      "(Ljava/util/Collection;)Ljava/util/List;", listRule, List.of("java.lang.String"), false,
      new Batch(0, false, "java.util.Collection"));
  private final int names = table.registerCached(getClass().getClassLoader(), NAMES.toString(), NAMES.toString(),
      "(Ljava/util/Collection;)Ljava/util/Map;", MethodRule.cache(NAMES).ttl(Duration.ofMinutes(5)).batch(0).build(),
      List.of("java.lang.String"), false, new Batch(0, true, "java.util.Collection"));
  private final int save = table.registerWrite(getClass().getClassLoader(), SAVE.toString(), List.of(SAVE.toString()), "(J)V",
      List.of(Eviction.of(listRule.evictOn().get(0), listRule, KEYS)));

  /** Runs a batch call as the advice does: the body gets the arguments the runtime hands back, and sees which ids it was asked for. */
  private Object call(int id, Object[] args, List<Object> asked, java.util.function.Function<List<Object>, Object> body) {
    Object begun = runtime.begin(id, null, args);
    if (begun instanceof Hit hit) {
      return hit.value;
    }
    Object[] running = begun instanceof Arguments narrowed ? narrowed.values : args;
    List<Object> ids = new ArrayList<>((java.util.Collection<?>) running[0]);
    asked.addAll(ids);
    Object returned = body.apply(ids);
    if (begun == null) {
      return returned;
    }
    Object merged = runtime.complete(id, begun, returned);
    if (merged instanceof Arguments again) {
      List<Object> allIds = new ArrayList<>((java.util.Collection<?>) again.values[0]);
      asked.addAll(allIds);
      return body.apply(allIds); // the advice's second run: uncached
    }
    return merged;
  }

  private static Object names(List<Object> ids) {
    List<Object> values = new ArrayList<>();
    ids.forEach(id -> values.add("v" + id));
    return values;
  }

  @Test
  void onlyTheMissingElementsAreLoaded_andTheResultIsMergedInTheCallersOrder() {
    List<Object> asked = new ArrayList<>();
    assertThat(call(findAll, new Object[] {List.of(1L, 2L)}, asked, BatchReadsTest::names)).isEqualTo(List.of("v1", "v2"));
    assertThat(asked).containsExactly(1L, 2L);

    asked.clear();
    int readsBefore = store.reads.get();
    assertThat(call(findAll, new Object[] {List.of(3L, 2L, 4L, 1L)}, asked, BatchReadsTest::names))
        .isEqualTo(List.of("v3", "v2", "v4", "v1"));
    assertThat(asked).as("the body was asked for the missing elements only, in the caller's order").containsExactly(3L, 4L);
    assertThat(store.reads.get() - readsBefore).as("one read for all elements").isEqualTo(1);

    asked.clear();
    assertThat(call(findAll, new Object[] {List.of(4L, 3L, 2L, 1L)}, asked, BatchReadsTest::names))
        .isEqualTo(List.of("v4", "v3", "v2", "v1"));
    assertThat(asked).as("every element cached: the body did not run").isEmpty();
  }

  @Test
  void aWriteEvictsItsElementOnly() {
    call(findAll, new Object[] {List.of(1L, 2L)}, new ArrayList<>(), BatchReadsTest::names);
    runtime.afterWrite(save, null, new Object[] {2L});

    List<Object> asked = new ArrayList<>();
    call(findAll, new Object[] {List.of(1L, 2L)}, asked, BatchReadsTest::names);
    assertThat(asked).containsExactly(2L);
  }

  @Test
  void aLoadThatBeganBeforeAWrite_doesNotStoreTheElementItMadeStale() {
    Object slowLoad = runtime.begin(findAll, null, new Object[] {List.of(1L, 2L)}); // reads the database before the write...
    runtime.afterWrite(save, null, new Object[] {1L});                              // ...the write evicts 1...
    runtime.complete(findAll, slowLoad, List.of("old1", "v2"));                      // ...then the load stores

    List<Object> asked = new ArrayList<>();
    assertThat(call(findAll, new Object[] {List.of(1L, 2L)}, asked, BatchReadsTest::names)).isEqualTo(List.of("v1", "v2"));
    assertThat(asked).as("1 was not stored over the write's tombstone; 2 was").containsExactly(1L);
  }

  @Test
  void aListOfAnotherSize_isNotCached_andTheBodyRunsAgainWithTheCallersArguments() {
    call(findAll, new Object[] {List.of(1L)}, new ArrayList<>(), BatchReadsTest::names);

    List<Object> asked = new ArrayList<>();
    Object got = call(findAll, new Object[] {List.of(1L, 2L, 3L)}, asked, ids -> {
      List<Object> found = new ArrayList<>(); // a query that skips the ids it did not find: 3 does not exist
      ids.stream().filter(id -> !id.equals(3L)).forEach(id -> found.add("v" + id));
      return found;
    });
    assertThat(got).as("exactly what the method returns for the caller's own collection").isEqualTo(List.of("v1", "v2"));
    assertThat(asked).containsExactly(2L, 3L, 1L, 2L, 3L);

    assertThat(runtime.begin(findAll, null, new Object[] {List.of(1L, 2L)})).as("from now on it runs uncached").isNull();
  }

  @Test
  void aBodyThatSortsTheCollectionItWasGiven_isNotCached() {
    List<Long> callers = new ArrayList<>(List.of(3L, 1L));
    Object begun = runtime.begin(findAll, null, new Object[] {callers}); // all missing: the body gets the caller's list
    callers.sort(null);                                                  // and sorts it, its values in that order
    assertThat(runtime.complete(findAll, begun, List.of("v1", "v3"))).as("as the method returned it").isEqualTo(List.of("v1", "v3"));

    assertThat(runtime.begin(findAll, null, new Object[] {List.of(1L)})).as("nothing was stored; from now on it runs uncached")
        .isNull();
  }

  @Test
  void duplicatesInACollectionThatIsNeitherAListNorASet_eachGetTheirValue() {
    call(findAll, new Object[] {List.of(2L)}, new ArrayList<>(), BatchReadsTest::names);

    List<Object> asked = new ArrayList<>();
    Object got = call(findAll, new Object[] {new java.util.ArrayDeque<>(List.of(1L, 1L, 2L))}, asked, BatchReadsTest::names);
    assertThat(asked).containsExactly(1L, 1L);
    assertThat(got).isEqualTo(List.of("v1", "v1", "v2"));
  }

  @Test
  void withAValueId_aListInAnyOrderThatLeavesElementsOut_isMatchedByIt_andTheLeftOutAreCachedAsAbsent() {
    MethodSignature byLength = MethodSignature.parse("com.acme.Repo#byLength(java.util.List)");
    int id = table.registerCached(getClass().getClassLoader(), byLength.toString(), byLength.toString(),
        "(Ljava/util/List;)Ljava/util/List;", MethodRule.cache(byLength).ttl(Duration.ofMinutes(5)).cacheNulls(true)
            .batch(io.cacheagent.config.BatchRule.of(0, "length", null)).build(),
        List.of("java.lang.String"), false, new Batch(0, false, "java.util.List"));
    java.util.function.Function<List<Object>, Object> query = lengths -> { // "where length in (...)", in its own order
      List<Object> found = new ArrayList<>();
      for (String word : List.of("dddd", "a", "ccc")) {
        if (lengths.contains(word.length())) {
          found.add(word);
        }
      }
      return found;
    };

    assertThat(call(id, new Object[] {List.of(3, 1, 2)}, new ArrayList<>(), query)).as("all missing: as the method returns it")
        .isEqualTo(List.of("a", "ccc"));
    List<Object> asked = new ArrayList<>();
    assertThat(call(id, new Object[] {List.of(2, 3, 4)}, asked, query)).as("in the caller's order; 2 has none")
        .isEqualTo(List.of("ccc", "dddd"));
    assertThat(asked).as("2 was cached as absent, 3 as ccc").containsExactly(4);
  }

  @Test
  void aHashSet_getsASetOfTheMissingElements_andEachValueLinesUpWithItsElement() {
    // 200 ids iterate in a large HashSet as 1 before 16; in a small HashSet, 16 would come before 1.
    List<Long> cachedFirst = new ArrayList<>();
    Set<Long> all = new HashSet<>();
    for (long id = 0; id < 200; id++) {
      all.add(id);
      if (id != 1 && id != 16) {
        cachedFirst.add(id);
      }
    }
    call(findAll, new Object[] {cachedFirst}, new ArrayList<>(), BatchReadsTest::names);

    List<Object> asked = new ArrayList<>();
    Object got = call(findAll, new Object[] {all}, asked, BatchReadsTest::names);
    assertThat(asked).as("a LinkedHashSet, in the caller's order").containsExactly(1L, 16L);
    List<Object> expected = new ArrayList<>();
    all.forEach(id -> expected.add("v" + id));
    assertThat(got).isEqualTo(expected);
  }

  @Test
  void aMapResult_isReadByElement_andAnElementItLacksIsAskedAgain() {
    java.util.function.Function<List<Object>, Object> body = ids -> {
      Map<Object, Object> found = new LinkedHashMap<>();
      ids.stream().filter(id -> !id.equals(3L)).forEach(id -> found.put(id, "n" + id));
      return found;
    };
    call(names, new Object[] {List.of(1L, 3L)}, new ArrayList<>(), body);

    List<Object> asked = new ArrayList<>();
    Object got = call(names, new Object[] {List.of(3L, 2L, 1L)}, asked, body);
    assertThat(asked).containsExactly(3L, 2L);
    assertThat(got).isInstanceOfSatisfying(Map.class, map -> assertThat(new ArrayList<>(map.entrySet()).toString())
        .isEqualTo("[2=n2, 1=n1]"));
  }

  @Test
  void withEntriesOf_theBatchAndTheSingleItemMethodShareEntries_andItsEvictions() {
    MethodSignature find = MethodSignature.parse("com.acme.Repo#find(long)");
    MethodSignature findMany = MethodSignature.parse("com.acme.Repo#findMany(java.util.List)");
    MethodRule single = MethodRule.cache(find).ttl(Duration.ofMinutes(5)).evictOn(List.of(
        new EvictRule(SAVE, List.of(KeyExpression.parse("args[0]")), false, false))).build();
    int findId = table.registerCached(getClass().getClassLoader(), find.toString(), find.toString(), "(J)Ljava/lang/String;", single,
        List.of("java.lang.String"));
    int manyId = table.registerCached(getClass().getClassLoader(), findMany.toString(), findMany.toString(),
        "(Ljava/util/List;)Ljava/util/List;", MethodRule.cache(findMany).ttl(single.ttl())
            .batch(new io.cacheagent.config.BatchRule(0, null, null, find, single)).build(),
        List.of("java.lang.String"), false, new Batch(0, false, "java.util.List"));
    int saveId = table.registerWrite(getClass().getClassLoader(), "com.acme.Repo#save(long)#2", List.of(SAVE.toString()), "(J)V",
        List.of(Eviction.of(single.evictOn().get(0), single, KEYS)));

    runtime.complete(findId, runtime.begin(findId, null, new Object[] {1L}), "v1");
    List<Object> asked = new ArrayList<>();
    assertThat(call(manyId, new Object[] {List.of(1L, 2L)}, asked, BatchReadsTest::names)).isEqualTo(List.of("v1", "v2"));
    assertThat(asked).as("1 was the single-item method's entry").containsExactly(2L);
    assertThat(runtime.begin(findId, null, new Object[] {2L})).as("the batch's entry of 2 serves the single-item method")
        .isInstanceOfSatisfying(Hit.class, hit -> assertThat(hit.value).isEqualTo("v2"));

    runtime.afterWrite(saveId, null, new Object[] {1L});
    asked.clear();
    call(manyId, new Object[] {List.of(1L, 2L)}, asked, BatchReadsTest::names);
    assertThat(asked).as("the single-item method's eviction reaches the batch").containsExactly(1L);
  }

  @Test
  void whenTheStoreIsDown_theMethodRunsAsIs() {
    store.down = true;
    assertThat(runtime.begin(findAll, null, new Object[] {List.of(1L, 2L)})).isNull();
  }

  @Test
  void aNullOrEmptyCollection_runsUncached() {
    assertThat(runtime.begin(findAll, null, new Object[] {null})).isNull();
    assertThat(runtime.begin(findAll, null, new Object[] {List.of()})).isNull();
  }
}
