package io.cacheagent.bench;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The private redis-server that benchmarks/jmh.sh started (its URI in benchmarks/target/jmh/redis-uri,
 * relative to the directory JMH runs in), and the cache-aside code people write by hand today:
 * a Lettuce GET and a Kryo decode, over one connection that all threads share.
 */
final class RedisForBenchmarks implements AutoCloseable {

  static final Path URI_FILE = Path.of("benchmarks/target/jmh/redis-uri");
  /** The agent's key of {@code Catalog.find(id)} without the id (benchmarks/jmh.sh sets {@code keyPrefix: bench}). */
  private static final String AGENT_KEY_OF_FIND = "bench:io.cacheagent.bench.Catalog#find(long):k2:n";
  /** The hand-written entry of item 42. */
  static final byte[] HAND_KEY = bytes("hand:item:42");

  private final RedisClient client;
  private final StatefulRedisConnection<byte[], byte[]> connection;
  final RedisCommands<byte[], byte[]> commands;
  /** Kryo instances are not thread-safe: one per thread, as cache-aside code keeps them. */
  private final ThreadLocal<Kryo> kryo = ThreadLocal.withInitial(() -> {
    Kryo kryo = new Kryo();
    kryo.register(Catalog.Item.class);
    return kryo;
  });

  RedisForBenchmarks() throws IOException {
    client = RedisClient.create(Files.readString(URI_FILE).strip());
    connection = client.connect(ByteArrayCodec.INSTANCE);
    commands = connection.sync();
  }

  void put(String key, Catalog.Item item) {
    commands.set(bytes(key), encode(item));
  }

  /** The hand-written store after a miss: SET with a TTL, its reply not awaited. */
  void setWithoutWaiting(byte[] key, Catalog.Item item) {
    connection.async().psetex(key, 30_000, encode(item));
  }

  private byte[] encode(Catalog.Item item) {
    Output out = new Output(64, -1);
    kryo.get().writeObject(out, item);
    return out.toBytes();
  }

  /** The hand-written hit: GET, then decode. */
  Catalog.Item get(byte[] key) {
    byte[] value = commands.get(key);
    return value == null ? null : kryo.get().readObject(new Input(value), Catalog.Item.class);
  }

  boolean exists(String key) {
    return commands.exists(bytes(key)) == 1;
  }

  /**
   * Connects, stores the hand-written entry of item 42, and waits until the agent has cached
   * {@code Catalog.find(42)}: then it is installed and connected (it does both in the background,
   * after main has started).
   */
  static RedisForBenchmarks withItem42Cached() throws IOException, InterruptedException {
    RedisForBenchmarks redis = new RedisForBenchmarks();
    redis.put("hand:item:42", new Catalog.Item(42, "item-42", 4200));
    redis.awaitCachedFind(42);
    return redis;
  }

  /** Calls {@code Catalog.find(id)} until the agent has stored its entry. */
  void awaitCachedFind(long id) throws InterruptedException {
    String agentKey = AGENT_KEY_OF_FIND + id;
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (!exists(agentKey)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the agent stored nothing under " + agentKey + " within 60 s: is it attached?");
      }
      Catalog.find(id);
      Thread.sleep(100);
    }
  }

  static byte[] bytes(String key) {
    return key.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    connection.close();
    client.shutdown();
  }
}
