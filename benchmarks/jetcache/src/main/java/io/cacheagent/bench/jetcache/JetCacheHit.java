package io.cacheagent.bench.jetcache;

import com.alicp.jetcache.Cache;
import com.alicp.jetcache.redis.lettuce.RedisLettuceCacheBuilder;
import com.alicp.jetcache.support.Kryo5ValueDecoder;
import com.alicp.jetcache.support.Kryo5ValueEncoder;
import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * JetCache 2.7.8's Redis cache (Lettuce 6.3, its own class path), the closest peer to the agent:
 * its hit beside the same hand-written read (Lettuce GET + Kryo decode) in the same forks, so that
 * its ratio can be set beside the agent's ratio from WithAgent. The same value as WithAgent's, a
 * record of three fields, encoded with JetCache's Kryo 5 encoder.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 10, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
public class JetCacheHit {

  /** The value: as Catalog.Item in the agent's benchmarks. */
  public record Item(long id, String name, long cents) {}

  private static final byte[] HAND_KEY = "jetcache-hand:item:42".getBytes(StandardCharsets.UTF_8);

  private RedisClient client;
  private StatefulRedisConnection<byte[], byte[]> connection;
  private RedisCommands<byte[], byte[]> commands;
  private final Kryo kryo = new Kryo();
  private Cache<Long, Item> cache;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    client = RedisClient.create(Files.readString(Path.of("benchmarks/target/jmh/redis-uri")).strip());
    Item item = new Item(42, "item-42", 4200);

    cache = RedisLettuceCacheBuilder.createRedisLettuceCacheBuilder()
        .redisClient(client)
        .keyPrefix("jetcache:")
        .valueEncoder(Kryo5ValueEncoder.INSTANCE)
        .valueDecoder(Kryo5ValueDecoder.INSTANCE)
        .expireAfterWrite(1, TimeUnit.HOURS)
        .buildCache();
    cache.put(42L, item);
    if (!item.equals(cache.get(42L))) {
      throw new IllegalStateException("JetCache did not return the value it was given: " + cache.get(42L));
    }

    connection = client.connect(ByteArrayCodec.INSTANCE);
    commands = connection.sync();
    kryo.register(Item.class);
    Output out = new Output(64, -1);
    kryo.writeObject(out, item);
    commands.set(HAND_KEY, out.toBytes());
    if (!item.equals(handWrittenGetAndDecode())) {
      throw new IllegalStateException("the hand-written read did not return the value it stored");
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    cache.close();
    connection.close();
    client.shutdown();
  }

  /** JetCache's hit: its GET through Lettuce, and its Kryo decode. */
  @Benchmark
  public Item jetCacheGet() {
    return cache.get(42L);
  }

  /** The same read by hand: Lettuce GET, Kryo decode (the baseline of this class path). */
  @Benchmark
  public Item handWrittenGetAndDecode() {
    byte[] value = commands.get(HAND_KEY);
    return value == null ? null : kryo.readObject(new Input(value), Item.class);
  }
}
