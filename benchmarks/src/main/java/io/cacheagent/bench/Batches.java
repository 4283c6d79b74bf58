package io.cacheagent.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A batch method (batch: args[0]) asked for 100 ids, 90 of them cached: beside the same 1 ms
 * query not configured, the batch with all 100 cached, and 100 cached calls of a single-id method.
 * One thread, in JVMs started with the agent (benchmarks/jmh.sh writes the configuration).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = "-javaagent:agent/target/cache-agent.jar=benchmarks/target/jmh/bench.yaml")
public class Batches {

  private static final int SIZE = 100;
  private static final int CACHED = 90;

  private RedisForBenchmarks redis;
  /** New ids for the missing ten: distinct in every fork and run. */
  private final AtomicLong nextId = new AtomicLong(System.nanoTime());
  private final List<Long> cachedIds = new ArrayList<>();
  private final List<Long> allCachedIds = new ArrayList<>();

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    redis = RedisForBenchmarks.withItem42Cached();
    long first = System.nanoTime() / 1000 * 1000; // ids of this trial only
    for (long id = first; id < first + SIZE; id++) {
      allCachedIds.add(id);
      if (id < first + CACHED) {
        cachedIds.add(id);
      }
      redis.awaitCachedFind(id);
    }
    awaitBatchCached(allCachedIds);
  }

  /** Calls the batch until a call runs no query: every id's entry has landed. */
  private static void awaitBatchCached(List<Long> ids) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      long before = Catalog.BATCH_LOADS.get();
      Catalog.loadAll(ids);
      if (Catalog.BATCH_LOADS.get() == before) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the batch's entries were not stored within 10 s: is the agent running?");
      }
      Thread.sleep(20);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    redis.close();
  }

  /** 90 ids cached, 10 new: one read of 100 entries, the 1 ms query for the 10, their stores. */
  @Benchmark
  public List<Catalog.Item> batch100With90Cached() {
    return Catalog.loadAll(cachedAndTenNew());
  }

  /** The 90 cached ids, then 10 never asked for before. */
  private List<Long> cachedAndTenNew() {
    List<Long> ids = new ArrayList<>(cachedIds);
    for (int i = CACHED; i < SIZE; i++) {
      ids.add(nextId.incrementAndGet());
    }
    return ids;
  }

  /** Every id cached: one read of 100 entries, no query. */
  @Benchmark
  public List<Catalog.Item> batch100AllCached() {
    return Catalog.loadAll(allCachedIds);
  }

  /** The query alone, not configured: 1 ms for the 100 ids. */
  @Benchmark
  public List<Catalog.Item> batch100NotListed() {
    return Catalog.loadAllNotListed(cachedAndTenNew());
  }

  /** The 100 ids one call each, all cached: 100 round trips. */
  @Benchmark
  public List<Catalog.Item> hundredSingleCachedCalls() {
    List<Catalog.Item> items = new ArrayList<>(SIZE);
    for (Long id : allCachedIds) {
      items.add(Catalog.find(id));
    }
    return items;
  }
}
