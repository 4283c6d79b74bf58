package io.cacheagent.bench;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
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
 * One thread, in JVMs started with the agent (benchmarks/jmh.sh writes the configuration): a hit
 * beside the same read written by hand, a near-cache hit beside a hand-written Caffeine lookup, a miss of a 1 ms method beside the same method not
 * configured, and a method switched off or not listed.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 10, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = "-javaagent:agent/target/cache-agent.jar=benchmarks/target/jmh/bench.yaml")
public class WithAgent {


  private RedisForBenchmarks redis;
  /** New ids for misses: distinct in every fork and run. */
  private final AtomicLong nextId = new AtomicLong(System.nanoTime());

  /** The hand-written near cache: the encoded item 42 in Caffeine, as code would keep it beside Redis. */
  private final Cache<String, byte[]> handNearCache = Caffeine.newBuilder().maximumSize(10_000).build();

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    redis = RedisForBenchmarks.withItem42Cached();
    redis.awaitNearCopy(42);
    redis.awaitSharedCopy(42);
    handNearCache.put("hand:item:42", redis.raw(RedisForBenchmarks.HAND_KEY));
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    redis.close();
  }

  /** The agent's hit: one MGET (entry and generation) and a Kryo decode. */
  @Benchmark
  public Catalog.Item hit() {
    return Catalog.find(42);
  }

  /** The same read by hand: Lettuce GET, Kryo decode. */
  @Benchmark
  public Catalog.Item handWrittenGetAndDecode() {
    return redis.get(RedisForBenchmarks.HAND_KEY);
  }

  /** The agent's hit from a copy in the JVM (nearCache): a Caffeine lookup and a Kryo decode, no round trip. */
  @Benchmark
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  public Catalog.Item nearHit() {
    return Catalog.findNear(42);
  }

  /** The agent's hit from a copy whose hits share one decoded result (shareInstances): no decode. */
  @Benchmark
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  public Catalog.Item nearHitShared() {
    return Catalog.findShared(42);
  }

  /** The same by hand: Caffeine getIfPresent of the encoded item, Kryo decode. */
  @Benchmark
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  public Catalog.Item handWrittenCaffeineAndDecode() {
    return redis.decode(handNearCache.getIfPresent("hand:item:42"));
  }

  /** A miss of a method that takes 1 ms: lookup, the method, encode, SET sent without waiting. */
  @Benchmark
  public Catalog.Item miss1ms() {
    return Catalog.load(nextId.incrementAndGet());
  }

  /**
   * The same miss written by hand, as cache-aside code does it: GET (nothing there), the 1 ms
   * method, Kryo encode, SET sent without waiting for its reply, as the agent sends it.
   */
  @Benchmark
  public Catalog.Item handWrittenMiss1ms() {
    long id = nextId.incrementAndGet();
    byte[] key = RedisForBenchmarks.bytes("hand:item:" + id);
    Catalog.Item found = redis.get(key);
    if (found != null) {
      return found;
    }
    Catalog.Item loaded = Catalog.loadNotListed(id);
    redis.setWithoutWaiting(key, loaded);
    return loaded;
  }

  /** The same 1 ms method, not configured. */
  @Benchmark
  public Catalog.Item notListed1ms() {
    return Catalog.loadNotListed(nextId.incrementAndGet());
  }

  /** Configured with enabled: false: the advice reads one switch and runs the method. */
  @Benchmark
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  public Catalog.Item switchedOff() {
    return Catalog.findSwitchedOff(42);
  }

  /** Not configured, in a JVM with the agent: never transformed. */
  @Benchmark
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  public Catalog.Item notListed() {
    return Catalog.findNotListed(42);
  }
}
