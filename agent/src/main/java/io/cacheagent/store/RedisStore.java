package io.cacheagent.store;

import io.cacheagent.config.AgentConfig;
import io.cacheagent.config.RedisSettings;
import io.cacheagent.jdk.Futures;
import io.cacheagent.logging.AgentLog;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.resource.ClientResources;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Predicate;

/*
 * The Redis store, over one shared Lettuce connection (RedisConnection: the first connect, the
 * reconnects, and the moments after them when reads answer "unavailable"). A read that Redis does
 * not answer, or that may not go to Redis now, answers "unavailable" and the call runs uncached.
 *
 * A circuit breaker (CircuitBreaker) stops reads from paying the command timeout while Redis
 * hangs. While it is open, the stores of misses are not sent either: each would only time out, and
 * thousands of them cost CPU the application needs. Evictions are always sent: the breaker of this
 * JVM may still be open (its probe comes once a second) while other JVMs read Redis again, and
 * they would read what this JVM's writes made stale. Writes are sent without waiting; a write method
 * then waits for its evictions (awaitWrites), at most the command timeout, and not at all for a
 * second after one such wait timed out. An eviction Redis confirmed closes the breaker, as a read
 * would. One Redis did not confirm is reported to the caller as failed (see MissedEvictions).
 *
 * Commands on one connection reach Redis in the order they were sent, so an eviction always lands
 * before a later read of this JVM. On a Redis Cluster that holds per master: the keys one command
 * names, and an entry and what evicts it, share a hash slot (see key.GenerationKey), so one
 * master and one connection.
 */
public final class RedisStore implements CacheStore {

  /** SET only if the key still holds the bytes the caller saw; one key, so it runs on Redis Cluster too. */
  private static final String COMPARE_AND_SET =
      "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) end"
          + " return false";

  /** DEL only if the key still holds the caller's token: a lease that expired and was taken by another JVM stays. */
  private static final String COMPARE_AND_DELETE =
      "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";
  private static final CompletionStage<?> NOT_CONNECTED =
      Futures.failed(new IllegalStateException("redis is not connected or not answering"));

  private final RedisSettings settings;
  private final long timeoutNanos;
  private final CircuitBreaker breaker;
  private final RedisConnection connection;
  /** Tells the near caches of changed keys; {@code null} on a cluster read from replicas (see invalidations). */
  private final KeyTracking tracking;
  private final WriteWaits writeWaits;

  /** Whether reads have failed since the last one that succeeded. */
  private final AtomicBoolean troubled = new AtomicBoolean();

  public RedisStore(RedisSettings settings) {
    this(settings, AgentConfig.DEFAULT_KEY_PREFIX, null);
  }

  /**
   * A store over {@code madeInAdvance}, Lettuce resources made before the configuration was
   * parsed (see {@link LettuceResources#makeInBackground()}); {@code null}: makes its own.
   * {@code keyPrefix}: the one every key of the agent's starts with (for the near caches on a cluster).
   */
  public RedisStore(RedisSettings settings, String keyPrefix, CompletableFuture<ClientResources> madeInAdvance) {
    this.settings = settings;
    this.timeoutNanos = settings.commandTimeout().toNanos();
    this.breaker = new CircuitBreaker("redis " + settings.maskedUri(), System::nanoTime);
    this.writeWaits = new WriteWaits(timeoutNanos);
    this.tracking = tracking(settings, keyPrefix, breaker::isOpen);
    this.connection = new RedisConnection(settings, madeInAdvance, this::answeredOtherThanARead, tracking);
  }

  /**
   * What tells the near caches of changed keys: on a cluster, only where reads go to masters. A
   * replica may answer a read with what a write told of a moment ago already replaced, and a copy
   * of that would live on.
   */
  private static KeyTracking tracking(RedisSettings settings, String keyPrefix, BooleanSupplier circuitOpen) {
    if (!settings.isCluster()) {
      return new ServerTracking(settings.commandTimeout(), circuitOpen);
    }
    if (settings.readFrom() != RedisSettings.ReadFrom.MASTER) {
      return null;
    }
    return new ClusterTracking(keyPrefix, RedisURI.create(settings.cluster().get(0)), settings.commandTimeout(), circuitOpen);
  }

  @Override
  public Invalidations invalidations() {
    return tracking != null ? tracking : Invalidations.unsupported("on a Redis Cluster, near caches need redis.readFrom: master"
        + " (a replica may answer with what a change already told of replaced)");
  }

  @Override
  public void awaitWrites(List<CompletableFuture<?>> writes) {
    writeWaits.await(writes);
  }

  @Override
  public void whenConnected(Runnable action) {
    connection.whenConnected(action);
  }

  @Override
  public void whenWritesMayBeLost(Function<Predicate<String>, CompletableFuture<?>> dropEntries) {
    connection.whenWritesMayBeLost(dropEntries);
  }

  /** Whether the first connect has succeeded (Lettuce may be reconnecting since). */
  public boolean isConnected() {
    return connection.isConnected();
  }

  @Override
  public String state() {
    return !connection.wasEverConnected() ? "connecting" : !isConnected() ? "not connected" : breaker.isOpen() ? "circuit open" : "connected";
  }

  /** Whether reads are currently skipped because Redis failed several in a row. */
  public boolean isCircuitOpen() {
    return breaker.isOpen();
  }

  @Override
  public byte[][] get(String... keys) {
    RedisFuture<List<KeyValue<String, byte[]>>> reply = sendRead(keys);
    if (reply == null) {
      return null;
    }
    try {
      return read(keys, awaitReply(reply));
    } catch (TimeoutException e) {
      reply.cancel(false);
      readFailed(e);
      return null;
    } catch (ExecutionException e) {
      readFailed(e.getCause());
      return null;
    }
  }

  @Override
  public CompletableFuture<byte[][]> getAsync(String... keys) {
    RedisFuture<List<KeyValue<String, byte[]>>> reply = sendRead(keys);
    if (reply == null) {
      return CompletableFuture.completedFuture(null);
    }
    // Lettuce's own command timeout (see RedisConnection) ends a reply that does not come.
    return reply.toCompletableFuture().handle((values, failure) -> {
      if (failure != null) {
        readFailed(failure);
        return null;
      }
      return read(keys, values);
    });
  }

  /** Sends an MGET, or returns {@code null} when no read may go to Redis now. */
  private RedisFuture<List<KeyValue<String, byte[]>>> sendRead(String... keys) {
    RedisConnection.Link current = connection.await();
    if (current == null) {
      return null; // not connected yet; the connector thread reports why
    }
    if (!current.isOpen()) {
      trouble("redis-lost", "lost the connection to " + settings.maskedUri()
          + "; calls run uncached until it is back (reconnecting every "
          + LettuceResources.MAX_RECONNECT_PAUSE.toMillis() + " ms at most)");
      return null;
    }
    if (connection.readsWait()) {
      return null; // just reconnected (other JVMs may not be back yet), or a failover's drop pending
    }
    HeldSlots held = connection.heldSlots();
    long changesBefore = held == null ? 0 : held.masterChanges();
    if (held != null && held.holds(keys[0])) {
      return null; // its master is lost, or new and maybe without the latest evictions (all keys share a slot)
    }
    if (!breaker.allowRequest()) {
      return null;
    }
    RedisFuture<List<KeyValue<String, byte[]>>> reply;
    try {
      reply = current.commands().mget(keys);
    } catch (RuntimeException e) {
      readFailed(e);
      return null;
    }
    // Masters changed while the MGET was sent: Lettuce may have routed it by the new topology already.
    return held != null && held.masterChanges() != changesBefore ? null : reply;
  }

  private byte[][] read(String[] keys, List<KeyValue<String, byte[]>> values) {
    byte[][] result = new byte[keys.length][];
    for (int i = 0; i < result.length; i++) {
      KeyValue<String, byte[]> value = values.get(i);
      result[i] = value.hasValue() ? value.getValue() : null;
    }
    answered();
    if (troubled.get()) {
      recovered();
    }
    return result;
  }

  private void readFailed(Throwable failure) {
    breaker.failure();
    Throwable why = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    if (why instanceof TimeoutException || why instanceof RedisCommandTimeoutException) {
      trouble("redis-read", "redis did not answer within " + settings.commandTimeout().toMillis()
          + "ms; calls run uncached meanwhile");
    } else {
      trouble("redis-read", "redis read failed (" + rootMessage(why) + "); calls run uncached meanwhile");
    }
  }

  /**
   * The reply, waited for at most the command timeout. An interrupt does not cut the wait short: a
   * lookup that gave up on it would run the method uncached and count as a failure of Redis (three
   * such calls opened the breaker, and the evictions behind it were lost). The interrupt is kept
   * for the application, which acts on it at its own next blocking call.
   */
  private <T> T awaitReply(RedisFuture<T> reply) throws TimeoutException, ExecutionException {
    return Uninterruptibly.get(reply, System.nanoTime() + timeoutNanos);
  }

  /** Reports a problem with reads, once per incident. */
  private void trouble(String problem, String message) {
    troubled.set(true);
    AgentLog.warn(problem, message);
  }

  /** A read succeeded after a problem: say so once, and let the next problem be reported at once. */
  private void recovered() {
    if (troubled.compareAndSet(true, false)) {
      AgentLog.resolved("redis-lost");
      AgentLog.resolved("redis-read");
      AgentLog.info("redis " + settings.maskedUri() + " answers again; caching resumes");
    }
  }

  @Override
  public CompletionStage<?> set(String key, byte[] value, Duration ttl) {
    return sendSet(key, redis -> redis.set(key, value, SetArgs.Builder.px(ttl.toMillis())));
  }

  @Override
  public CompletionStage<?> set(String key, byte[] value) {
    return sendSet(key, redis -> redis.set(key, value));
  }

  /**
   * Sends a SET (a tombstone, a new generation) whatever the breaker. This JVM's near copies of the
   * key are void before it is sent, none is made while it is in flight, and those made from a read
   * that Redis ran before it are void again once it ended.
   */
  private CompletionStage<?> sendSet(String key, Function<RedisClusterAsyncCommands<String, byte[]>, RedisFuture<?>> set) {
    if (tracking != null) {
      tracking.writing(key);
    }
    RedisClusterAsyncCommands<String, byte[]> redis = connected();
    CompletionStage<?> sent = redis == null ? NOT_CONNECTED : confirmed(set.apply(redis));
    return tracking == null ? sent : sent.whenComplete((ok, failure) -> tracking.written(key));
  }

  @Override
  public void setIfAbsent(String key, byte[] value) {
    RedisClusterAsyncCommands<String, byte[]> redis = commands();
    if (redis != null) {
      watch(redis.set(key, value, SetArgs.Builder.nx()));
    }
  }

  @Override
  public void setIfAbsent(String key, byte[] value, Duration ttl) {
    RedisClusterAsyncCommands<String, byte[]> redis = commands();
    if (redis != null) {
      watch(redis.set(key, value, SetArgs.Builder.nx().px(ttl.toMillis())));
    }
  }

  @Override
  public void replace(String key, byte[] expected, byte[] value, Duration ttl) {
    RedisClusterAsyncCommands<String, byte[]> redis = commands();
    if (redis != null) {
      byte[] millis = Long.toString(ttl.toMillis()).getBytes(StandardCharsets.US_ASCII);
      watch(redis.eval(COMPARE_AND_SET, ScriptOutputType.STATUS, new String[] {key}, expected, value, millis));
    }
  }

  @Override
  public Lease tryLease(String key, byte[] token, Duration lease) {
    RedisClusterAsyncCommands<String, byte[]> redis = commands();
    if (redis == null) {
      return Lease.UNAVAILABLE;
    }
    RedisFuture<String> reply = redis.set(key, token, SetArgs.Builder.nx().px(lease.toMillis()));
    try {
      String answer = awaitReply(reply);
      answered();
      return "OK".equals(answer) ? Lease.TAKEN : Lease.HELD_BY_OTHERS;
    } catch (TimeoutException | ExecutionException e) {
      reply.cancel(false);
      breaker.failure();
      return Lease.UNAVAILABLE;
    }
  }

  @Override
  public void release(String key, byte[] token) {
    RedisClusterAsyncCommands<String, byte[]> redis = commands();
    if (redis != null) {
      watch(redis.eval(COMPARE_AND_DELETE, ScriptOutputType.INTEGER, new String[] {key}, token));
    }
  }

  /** The commands for a store or a lease, or {@code null} when it would not reach Redis or only time out. */
  private RedisClusterAsyncCommands<String, byte[]> commands() {
    return breaker.isOpen() ? null : connected();
  }

  /** The commands for an eviction, or {@code null} when it would not reach Redis; sent whatever the breaker. */
  private RedisClusterAsyncCommands<String, byte[]> connected() {
    RedisConnection.Link current = connection.await();
    return current == null || !current.isOpen() ? null : current.commands();
  }

  /**
   * {@link #watch}es an eviction; once Redis confirmed it, reads need no probe to resume, and write
   * methods wait for their evictions again. (It does not count against read failures: small writes
   * may succeed while reads time out.)
   */
  private CompletionStage<?> confirmed(RedisFuture<?> reply) {
    return watch(reply).thenRun(this::answeredOtherThanARead);
  }

  /** A read answered: the breaker's count starts again, and write methods wait for their evictions again. */
  private void answered() {
    breaker.success();
    writeWaits.resume();
  }

  /**
   * Redis answered something other than a read (a confirmed write, a new connection): the breaker
   * closes if open, and write methods wait for their evictions again; reads' failure count stays.
   */
  private void answeredOtherThanARead() {
    breaker.closeIfOpen();
    writeWaits.resume();
  }

  private static CompletionStage<?> watch(RedisFuture<?> reply) {
    return reply.whenComplete((ok, failure) -> {
      if (failure != null) {
        AgentLog.warn("redis-write", "redis write failed (" + rootMessage(failure) + ")");
      }
    });
  }

  static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName() + ": " + root.getMessage();
  }

  @Override
  public Duration commandTimeout() {
    return settings.commandTimeout();
  }

  @Override
  public String describe() {
    return "redis " + settings.maskedUri() + " (command timeout " + settings.commandTimeout().toMillis() + "ms)";
  }

  @Override
  public void close() {
    connection.close();
  }
}
