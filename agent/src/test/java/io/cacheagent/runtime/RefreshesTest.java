package io.cacheagent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.cacheagent.bootstrap.Hit;
import io.cacheagent.codec.EntrySigning;
import io.cacheagent.config.EvictRule;
import io.cacheagent.config.MethodRule;
import io.cacheagent.config.MethodSignature;
import io.cacheagent.key.KeyExpression;
import io.cacheagent.key.KeyNames;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** refreshAhead: a hit past that share of its entry's life reloads it in the background, and a write meanwhile wins. */
class RefreshesTest {

  private static final String FIND = Repo.class.getName() + "#find(long)";
  private static final MethodSignature SAVE = MethodSignature.parse("com.acme.Repo#save(long)");

  private final MethodTable table = new MethodTable(KeyNames.readable("test"), List.of(), EntrySigning.OFF);
  /** The wall clock entries record their refresh time by: the test moves it. */
  private final AtomicLong wall = new AtomicLong(1_000_000);
  private final FlakyStore store = new FlakyStore();
  private final CacheRuntime runtime = new CacheRuntime(table, store, System::nanoTime, wall::get);
  /** Refreshed after 6 s of its minute. */
  private final MethodRule rule = MethodRule.cache(MethodSignature.parse(FIND)).ttl(Duration.ofMinutes(1)).ttlJitter(0)
      .refreshAhead(0.1).evictOn(List.of(new EvictRule(SAVE, List.of(KeyExpression.parse("args[0]")), false, false))).build();
  private final int find = table.registerCached(getClass().getClassLoader(), FIND, FIND, "(J)Ljava/lang/String;", rule,
      List.of("java.lang.String"));
  private final int save = table.registerWrite(getClass().getClassLoader(), SAVE.toString(), List.of(SAVE.toString()), "(J)V",
      List.of(Eviction.of(rule.evictOn().get(0), rule, KeyNames.readable("test"))));
  private final Repo repo = new Repo(runtime, find);

  @Test
  void aHitPastItsRefreshTime_returnsTheEntry_andReloadsItInTheBackground() throws Exception {
    repo.next = "one";
    assertThat(repo.find(1)).isEqualTo("one");
    repo.next = "two";
    assertThat(repo.find(1)).as("a hit before its refresh time").isEqualTo("one");
    assertThat(repo.calls).hasValue(1);

    wall.addAndGet(TimeUnit.SECONDS.toMillis(7));
    assertThat(repo.find(1)).as("a hit past it: the entry, at once").isEqualTo("one");

    eventually(() -> "two".equals(hitValue(1)));
    assertThat(repo.calls).as("the reload ran the method once").hasValue(2);
  }

  @Test
  void aWriteWhileAReloadRuns_wins_theReloadStoresNothing() throws Exception {
    startBlockedReload(2, "old");
    repo.next = "stale"; // what the reload reads

    runtime.afterWrite(save, null, new Object[] {2L}); // the write commits and evicts while the reload read the old row
    repo.release.countDown();

    eventually(() -> repo.reloadsDone.get() == 1);
    assertThat(runtime.begin(find, repo, new Object[] {2L})).as("a miss: the reload did not put back what the write made stale")
        .isNotNull().isNotInstanceOf(Hit.class);
  }

  @Test
  void hitsWhileAKeyReloads_doNotReloadItAgain() throws Exception {
    startBlockedReload(3, "one");

    for (int i = 0; i < 5; i++) {
      assertThat(repo.find(3)).isEqualTo("one");
    }
    repo.release.countDown();

    eventually(() -> repo.reloadsDone.get() == 1);
    assertThat(repo.calls).as("the first load, and one reload").hasValue(2);
    assertThat(store.leases).as("one reload asked for the lease; the hits meanwhile did not").hasSize(1);
  }

  @Test
  void aJvmThatHitsTheEntryWhileAnotherReloadsIt_leavesTheReloadToThatOne() throws Exception {
    startBlockedReload(5, "one"); // this JVM reloads it, and holds the lease
    MethodTable otherTable = new MethodTable(KeyNames.readable("test"), List.of(), EntrySigning.OFF);
    CacheRuntime otherJvm = new CacheRuntime(otherTable, store, System::nanoTime, wall::get);
    Repo inOtherJvm = new Repo(otherJvm, otherTable.registerCached(getClass().getClassLoader(), FIND, FIND, "(J)Ljava/lang/String;",
        rule, List.of("java.lang.String")));

    assertThat(inOtherJvm.find(5)).as("a hit past its refresh time there too").isEqualTo("one");

    eventually(() -> store.leases.size() == 2);
    assertThat(store.leases).as("the other JVM asked for the lease, and left").endsWith(store.leases.get(0).replace("TAKEN", "HELD_BY_OTHERS"));
    assertThat(inOtherJvm.calls).hasValue(0);
    repo.release.countDown();
    eventually(() -> repo.reloadsDone.get() == 1);
    assertThat(table.cached(find).stats.refreshes.sum()).isEqualTo(1);
  }

  @Test
  void aReloadWhoseArgumentsNoLongerGiveTheKeyWhenItStarts_runsUncached_andStoresNothing() throws Exception {
    MutableId id = new MutableId(4);
    MutableRepo mutable = mutableRepo();
    startBlockedReload(mutable, id, true); // it blocks before its lookup

    id.value = 5; // the caller reuses its argument
    mutable.release.countDown();

    eventually(() -> mutable.reloadsDone.get() == 1);
    assertThat(mutable.lookUps).as("the reload's lookup").containsExactly("miss", "hit", "uncached");
    assertThat(mutable.findBy(new MutableId(4))).isEqualTo("row 4");
  }

  @Test
  void aReloadWhoseArgumentsNoLongerGiveTheKeyWhenTheMethodReturns_storesNothing() throws Exception {
    MutableId id = new MutableId(6);
    MutableRepo mutable = mutableRepo();
    startBlockedReload(mutable, id, false); // it looks up its key, and blocks before it reads the argument

    id.value = 7; // the caller reuses its argument while the method runs
    mutable.release.countDown();

    eventually(() -> mutable.reloadsDone.get() == 1);
    // the hit records itself after it started the reload, whose lookup may be recorded first
    assertThat(mutable.lookUps).startsWith("miss").containsExactlyInAnyOrder("miss", "hit", "reload");
    assertThat(mutable.findBy(new MutableId(6))).as("row 7 was not stored under the key of 6").isEqualTo("row 6");
  }

  /** As {@link #startBlockedReload(long, String)}, for {@code mutable}'s reload of {@code id}, blocked before or after its lookup. */
  private void startBlockedReload(MutableRepo mutable, MutableId id, boolean beforeLookUp) throws Exception {
    mutable.findBy(id);
    wall.addAndGet(TimeUnit.SECONDS.toMillis(7));
    mutable.blockNextReload(beforeLookUp);
    mutable.findBy(id); // a hit past its refresh time: the reload starts
    assertThat(mutable.entered.await(5, TimeUnit.SECONDS)).isTrue();
  }

  private MutableRepo mutableRepo() {
    String findBy = MutableRepo.class.getName() + "#findBy(" + MutableId.class.getName() + ")";
    MethodRule byId = MethodRule.cache(MethodSignature.parse(findBy)).ttl(Duration.ofMinutes(1)).refreshAhead(0.1)
        .key(List.of(KeyExpression.parse("args[0].value"))).build();
    return new MutableRepo(table.registerCached(getClass().getClassLoader(), findBy, findBy,
        "(L" + MutableId.class.getName().replace('.', '/') + ";)Ljava/lang/String;", byId, List.of("java.lang.String")));
  }

  /** Caches {@code value} for {@code id}, then hits it past its refresh time: a reload starts, and blocks in the method until released. */
  private void startBlockedReload(long id, String value) throws Exception {
    repo.next = value;
    repo.find(id);
    wall.addAndGet(TimeUnit.SECONDS.toMillis(7));
    repo.blockNextCall();
    assertThat(repo.find(id)).as("a hit past its refresh time: the entry, at once").isEqualTo(value);
    assertThat(repo.entered.await(5, TimeUnit.SECONDS)).isTrue();
  }

  /** Waits up to 5 s for {@code condition}, which the background reload makes true. */
  private static void eventually(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime() - deadline).as("still not so after 5 s").isNegative();
      TimeUnit.MILLISECONDS.sleep(10);
    }
  }

  private Object hitValue(long id) {
    Object call = runtime.begin(find, repo, new Object[] {id});
    return call instanceof Hit hit ? hit.value : null;
  }

  /** A cached method of a real class, so that a reload can call it; it looks itself up as the advice would. */
  class Repo {
    private final CacheRuntime lookingUp;
    private final int id;
    final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger reloadsDone = new AtomicInteger();
    volatile String next;
    volatile CountDownLatch entered = new CountDownLatch(0);
    volatile CountDownLatch release = new CountDownLatch(0);

    Repo(CacheRuntime lookingUp, int id) {
      this.lookingUp = lookingUp;
      this.id = id;
    }

    void blockNextCall() {
      entered = new CountDownLatch(1);
      release = new CountDownLatch(1);
    }

    String find(long key) throws InterruptedException {
      boolean reload = Thread.currentThread().getName().startsWith("cache-agent-refresh");
      if (reload) {
        entered.countDown();
        release.await(5, TimeUnit.SECONDS);
      }
      Object call = lookingUp.begin(id, this, new Object[] {key});
      if (call instanceof Hit hit) {
        return (String) hit.value;
      }
      calls.incrementAndGet();
      String value = next;
      Object returned = call == null ? value : lookingUp.complete(id, call, value);
      if (reload) {
        reloadsDone.incrementAndGet();
      }
      return (String) returned;
    }
  }

  static final class MutableId {
    volatile long value;

    MutableId(long value) {
      this.value = value;
    }

    public long getValue() {
      return value;
    }
  }

  /** As Repo, keyed by a property of an argument its caller may change after the call. */
  class MutableRepo {
    final int id;
    final List<String> lookUps = new java.util.concurrent.CopyOnWriteArrayList<>();
    final AtomicInteger reloadsDone = new AtomicInteger();
    volatile CountDownLatch entered = new CountDownLatch(0);
    volatile CountDownLatch release = new CountDownLatch(0);
    /** Where the next reload blocks: before its lookup, or after it (before it reads its argument). */
    volatile boolean beforeLookUp;

    MutableRepo(int id) {
      this.id = id;
    }

    void blockNextReload(boolean beforeLookUp) {
      this.beforeLookUp = beforeLookUp;
      entered = new CountDownLatch(1);
      release = new CountDownLatch(1);
    }

    String findBy(MutableId key) throws InterruptedException {
      boolean reload = Thread.currentThread().getName().startsWith("cache-agent-refresh");
      if (reload && beforeLookUp) {
        block();
      }
      Object call = runtime.begin(id, this, new Object[] {key});
      lookUps.add(call == null ? "uncached" : call instanceof Hit ? "hit" : call instanceof Refreshes.Reload ? "reload" : "miss");
      if (call instanceof Hit hit) {
        return (String) hit.value;
      }
      if (reload && !beforeLookUp) {
        block();
      }
      String value = "row " + key.value;
      String returned = call == null ? value : (String) runtime.complete(id, call, value);
      if (reload) {
        reloadsDone.incrementAndGet();
      }
      return returned;
    }

    private void block() throws InterruptedException {
      entered.countDown();
      release.await(5, TimeUnit.SECONDS);
    }
  }
}
