package io.cacheagent.bench;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
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
 * Cached calls per second that hit, from as many threads as JMH is given ({@code -t}); with
 * {@code -Djmh.executor=VIRTUAL} in the fork (Java 21+), the threads are virtual.
 * benchmarks/throughput.sh runs 1, 8 and 64 threads of both kinds, and redis-benchmark beside them.
 * Two key patterns: every thread on one hot key, and each call on one of 1,000 keys at random.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 10, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = "-javaagent:agent/target/cache-agent.jar=benchmarks/target/jmh/bench.yaml")
public class Throughput {

  /** The ids of {@link #hitSpread}: 1 to SPREAD, all cached before measuring. */
  static final int SPREAD = 1_000;

  private RedisForBenchmarks redis;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    redis = RedisForBenchmarks.withItem42Cached();
    for (long id = 1; id <= SPREAD; id++) {
      Catalog.find(id); // all misses first, then a check of each: the agent stores them meanwhile
    }
    for (long id = 1; id <= SPREAD; id++) {
      redis.awaitCachedFind(id);
      redis.awaitNearCopy(id);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    redis.close();
  }

  /** The agent's hit on one hot key, from every thread: all share the agent's one Redis connection. */
  @Benchmark
  public Catalog.Item hit() {
    return Catalog.find(42);
  }

  /** The agent's hit on one of 1,000 keys at random: concurrent calls seldom look up the same key. */
  @Benchmark
  public Catalog.Item hitSpread() {
    return Catalog.find(ThreadLocalRandom.current().nextLong(1, SPREAD + 1));
  }

  /** The agent's hit on one of 1,000 keys at random, from copies in the JVM (nearCache): no round trip. */
  @Benchmark
  public Catalog.Item nearHitSpread() {
    return Catalog.findNear(ThreadLocalRandom.current().nextLong(1, SPREAD + 1));
  }

  /** The same read by hand from every thread: Lettuce GET and Kryo decode over one shared connection. */
  @Benchmark
  public Catalog.Item handWrittenGetAndDecode() {
    return redis.get(RedisForBenchmarks.HAND_KEY);
  }
}
