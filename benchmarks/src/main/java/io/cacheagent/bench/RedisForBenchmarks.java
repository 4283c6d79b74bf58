package io.cacheagent.bench;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.cacheagent.key.CacheKeys;
import io.cacheagent.key.KeyNames;
import io.cacheagent.key.KeyShape;
import io.cacheagent.key.UnstableArgumentException;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The private redis-server that benchmarks/jmh.sh started (its URI in benchmarks/target/jmh/redis-uri,
 * relative to the directory JMH runs in), or the Redis Cluster that benchmarks/cluster-throughput.sh
 * started (its seed URIs there, separated by commas), and the cache-aside code people write by
 * hand today: a Lettuce GET and a Kryo decode, over one connection that all threads share.
 */
final class RedisForBenchmarks implements AutoCloseable {

  static final Path URI_FILE = Path.of("benchmarks/target/jmh/redis-uri");
  /** The method whose entries the agent stores, as benchmarks/jmh.sh configures it ({@code keyPrefix: bench}). */
  private static final String FIND = "io.cacheagent.bench.Catalog#find(long)";
  private static final String FIND_NEAR = "io.cacheagent.bench.Catalog#findNear(long)";
  private static final String FIND_SHARED = "io.cacheagent.bench.Catalog#findShared(long)";
  /** The hand-written entry of item 42. */
  static final byte[] HAND_KEY = bytes("hand:item:42");

  private final AbstractRedisClient client;
  private final StatefulConnection<byte[], byte[]> connection;
  final RedisClusterCommands<byte[], byte[]> commands;
  private final RedisClusterAsyncCommands<byte[], byte[]> async;
  /** How the agent names the keys of {@link #FIND}: on a cluster, with the hash tags of its slot groups. */
  private final KeyNames agentKeys;
  /** Kryo instances are not thread-safe: one per thread, as cache-aside code keeps them. */
  private final ThreadLocal<Kryo> kryo = ThreadLocal.withInitial(() -> {
    Kryo kryo = new Kryo();
    kryo.register(Catalog.Item.class);
    return kryo;
  });

  RedisForBenchmarks() throws IOException {
    String uris = Files.readString(URI_FILE).strip();
    if (uris.contains(",")) {
      RedisClusterClient cluster = RedisClusterClient.create(Arrays.stream(uris.split(",")).map(RedisURI::create).toList());
      StatefulRedisClusterConnection<byte[], byte[]> opened = cluster.connect(ByteArrayCodec.INSTANCE);
      client = cluster;
      connection = opened;
      commands = opened.sync();
      async = opened.async();
      agentKeys = KeyNames.readable("bench").onCluster();
    } else {
      RedisClient server = RedisClient.create(uris);
      StatefulRedisConnection<byte[], byte[]> opened = server.connect(ByteArrayCodec.INSTANCE);
      client = server;
      connection = opened;
      commands = opened.sync();
      async = opened.async();
      agentKeys = KeyNames.readable("bench");
    }
  }

  void put(String key, Catalog.Item item) {
    commands.set(bytes(key), encode(item));
  }

  /** The hand-written store after a miss: SET with a TTL, its reply not awaited. */
  void setWithoutWaiting(byte[] key, Catalog.Item item) {
    async.psetex(key, 30_000, encode(item));
  }

  private byte[] encode(Catalog.Item item) {
    Output out = new Output(64, -1);
    kryo.get().writeObject(out, item);
    return out.toBytes();
  }

  /** The hand-written hit: GET, then decode. */
  Catalog.Item get(byte[] key) {
    byte[] value = commands.get(key);
    return value == null ? null : decode(value);
  }

  /** The bytes under {@code key}, as the hand-written near cache keeps them. */
  byte[] raw(byte[] key) {
    return commands.get(key);
  }

  Catalog.Item decode(byte[] value) {
    return kryo.get().readObject(new Input(value), Catalog.Item.class);
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
    awaitCached(FIND, id, () -> Catalog.find(id));
  }

  /**
   * Calls {@code Catalog.findNear(id)} until the agent has stored its entry, then once more: that
   * hit reads Redis and leaves a copy in the JVM.
   */
  void awaitNearCopy(long id) throws InterruptedException {
    awaitCached(FIND_NEAR, id, () -> Catalog.findNear(id));
    Catalog.findNear(id);
  }

  /** As {@link #awaitNearCopy}, for {@code Catalog.findShared(id)}. */
  void awaitSharedCopy(long id) throws InterruptedException {
    awaitCached(FIND_SHARED, id, () -> Catalog.findShared(id));
    Catalog.findShared(id);
  }

  private void awaitCached(String method, long id, Runnable call) throws InterruptedException {
    String agentKey;
    try {
      agentKey = CacheKeys.key(agentKeys.namespace(method), agentKeys.generationKey(method, null), null,
          KeyShape.of(List.of("long"), null), null, new Object[] {id});
    } catch (UnstableArgumentException e) {
      throw new IllegalStateException(e);
    }
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (!exists(agentKey)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the agent stored nothing under " + agentKey + " within 60 s: is it attached?");
      }
      call.run();
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
