package io.cacheagent.store;

import io.cacheagent.config.RedisSettings;
import io.cacheagent.logging.AgentLog;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.event.connection.ConnectionActivatedEvent;
import io.lettuce.core.event.connection.ConnectionDeactivatedEvent;
import io.lettuce.core.resource.ClientResources;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/*
 * The Redis store, over one shared Lettuce connection.
 *
 * The connection is opened on a daemon thread, never on the application's, from the agent's start.
 * Lettuce and Netty take most of a second to load on a small machine, and a call made before the
 * connection is up would run uncached: so until the first connect attempt has ended, reads and
 * writes wait for it, but never past FIRST_CONNECT_WAIT from the store's creation. A batch job
 * that calls a cached method at once is then served from its second call, and a service, whose
 * first requests come seconds later, never waits. Past that, or once the first attempt failed,
 * every read answers "unavailable" and the call runs uncached. A failed first connect is retried with
 * growing pauses; once connected, Lettuce reconnects by itself, trying every 100 ms at most. While disconnected, commands are
 * rejected at once rather than queued, so a call never waits for a reconnect. For a moment after
 * a reconnect, reads still answer "unavailable" (SETTLE_NANOS), until the other JVMs are back too.
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
 * before a later read of this JVM.
 */
public final class RedisStore implements CacheStore {

  private static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);
  private static final long MAX_RETRY_PAUSE_MILLIS = 30_000;
  /**
   * Commands that may wait for a reply at once. A hung Redis keeps timed-out commands until it
   * answers; past this bound new ones fail at once instead of growing the heap.
   */
  static final int REQUEST_QUEUE_SIZE = 10_000;
  /** SET only if the key still holds the bytes the caller saw; one key, so it runs on Redis Cluster too. */
  private static final String COMPARE_AND_SET =
      "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) end"
          + " return false";

  /** DEL only if the key still holds the caller's token: a lease that expired and was taken by another JVM stays. */
  private static final String COMPARE_AND_DELETE =
      "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";
  private static final CompletionStage<?> NOT_CONNECTED =
      CompletableFuture.failedFuture(new IllegalStateException("redis is not connected or not answering"));

  /** How long after the store's creation calls may wait for the first connect attempt to end. */
  static final Duration FIRST_CONNECT_WAIT = Duration.ofSeconds(2);

  private final RedisSettings settings;
  private final long timeoutNanos;
  private final CircuitBreaker breaker;
  /** Counted down when the first connect attempt has ended, connected or not. */
  private final CompletableFuture<Void> firstAttempt = new CompletableFuture<>();
  private final long firstConnectWaitEndsNanos;
  private final CompletableFuture<ClientResources> madeInAdvance;
  /** Made on the connector thread: loading Lettuce and Netty is most of the cost of connecting. */
  private volatile ClientResources resources;
  private volatile RedisClient client;
  private volatile StatefulRedisConnection<String, byte[]> connection;
  /** Run once, on the connector thread, after the first connect succeeded. */
  private final CompletableFuture<Void> firstConnected = new CompletableFuture<>();
  /** What {@link #whenConnected} asked to run again after each reconnect. */
  private final List<Runnable> onReconnect = new CopyOnWriteArrayList<>();
  private volatile boolean closed;
  /**
   * Until when write methods do not wait for their evictions, after one waited in vain; ends as
   * soon as Redis answers again, when a write that does not wait could be overtaken by another
   * JVM's read.
   */
  private volatile long writeWaitsResumeNanos = System.nanoTime();
  /**
   * After a reconnect, reads wait this long before going to Redis again: until then, another JVM
   * whose connection dropped too may not be back, and its writes are evictions Redis never got;
   * once it is back, it drops what they made stale (see MissedEvictions) before this JVM reads.
   */
  static final long SETTLE_NANOS = 2 * (LettuceResources.MAX_RECONNECT_PAUSE.toNanos() + LettuceResources.TIMER_TICK.toNanos());

  /** How far readsResumeNanos moves at a disconnect: an hour, until the reconnect sets it again. */
  private static final long DISCONNECTED_NANOS = TimeUnit.HOURS.toNanos(1);

  /** Until when reads do not go to Redis, after a reconnect (see {@link #SETTLE_NANOS}). */
  private volatile long readsResumeNanos = System.nanoTime();

  /** Whether reads have failed since the last one that succeeded. */
  private final AtomicBoolean troubled = new AtomicBoolean();

  public RedisStore(RedisSettings settings) {
    this(settings, null);
  }

  /**
   * A store over {@code madeInAdvance}, Lettuce resources made before the configuration was
   * parsed (see {@link LettuceResources#makeInBackground()}); {@code null}: makes its own.
   */
  public RedisStore(RedisSettings settings, CompletableFuture<ClientResources> madeInAdvance) {
    this.settings = settings;
    this.madeInAdvance = madeInAdvance;
    this.timeoutNanos = settings.commandTimeout().toNanos();
    this.firstConnectWaitEndsNanos = System.nanoTime() + FIRST_CONNECT_WAIT.toNanos();
    this.breaker = new CircuitBreaker("redis " + settings.maskedUri(), System::nanoTime);
    Thread connector = new Thread(this::connectUntilUp, "cache-agent-redis-connect");
    connector.setDaemon(true);
    connector.setContextClassLoader(null);
    connector.start();
  }

  private RedisClient createClient() {
    resources = madeInAdvance == null ? LettuceResources.make() : madeInAdvance.exceptionally(failed -> {
      AgentLog.warn("redis-load", "could not prepare the redis client in advance (" + rootMessage(failed) + "); preparing it again");
      return LettuceResources.make();
    }).join();
    RedisClient created = new AsyncOnlyRedisClient(resources, RedisURI.create(settings.uri()));
    created.setOptions(ClientOptions.builder()
        .autoReconnect(true)
        .requestQueueSize(REQUEST_QUEUE_SIZE)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .timeoutOptions(TimeoutOptions.enabled(settings.commandTimeout()))
        .build());
    return created;
  }

  private void connectUntilUp() {
    long pause = 500;
    while (!closed) {
      try {
        if (client == null) {
          client = createClient();
        }
        connection = client.connect(CODEC);
        AgentLog.resolved("redis-connect");
        AgentLog.info("connected to " + settings.maskedUri());
        // Lettuce reconnects by itself; each time the connection is usable again, what was left
        // undone while it was lost (the drops of missed evictions) is sent at once. Redis has just
        // answered the new connection's handshake: the failures that opened the breaker were the
        // old one's, and while it stays open no write is sent, though other JVMs may read already.
        // Lettuce reports on its own thread: a read may find the connection open again before it
        // hears of the reconnect, so reads stop at the disconnect and resume SETTLE_NANOS after it.
        resources.eventBus().get()
            .filter(event -> event instanceof ConnectionActivatedEvent || event instanceof ConnectionDeactivatedEvent)
            .subscribe(event -> {
              if (event instanceof ConnectionDeactivatedEvent) {
                readsResumeNanos = System.nanoTime() + DISCONNECTED_NANOS;
                return;
              }
              readsResumeNanos = System.nanoTime() + SETTLE_NANOS;
              answeredOtherThanARead();
              onReconnect.forEach(RedisStore::runQuietly);
            });
        firstConnected.complete(null);
        return;
      } catch (RuntimeException | LinkageError e) {
        if (closed) {
          return;
        }
        AgentLog.warn("redis-connect", "cannot connect to " + settings.maskedUri() + " (" + rootMessage(e)
            + "); calls run uncached; retrying every " + (MAX_RETRY_PAUSE_MILLIS / 1000) + "s at most");
      } finally {
        firstAttempt.complete(null);
      }
      try {
        Thread.sleep(pause);
      } catch (InterruptedException e) {
        return;
      }
      pause = Math.min(pause * 2, MAX_RETRY_PAUSE_MILLIS);
    }
  }

  /**
   * The connection, {@code null} before the first connect. While the first attempt is under way,
   * waits for it, but not past {@link #FIRST_CONNECT_WAIT} from the store's creation; an interrupt
   * does not cut the wait short (see {@link #awaitReply}) and is kept.
   */
  private StatefulRedisConnection<String, byte[]> connection() {
    StatefulRedisConnection<String, byte[]> current = connection;
    if (current != null || firstAttempt.isDone()) {
      return current;
    }
    try {
      Uninterruptibly.get(firstAttempt, firstConnectWaitEndsNanos);
    } catch (TimeoutException | ExecutionException e) {
      // past the wait: the call runs uncached
    }
    return connection;
  }

  @Override
  public void awaitWrites(List<CompletableFuture<?>> writes) {
    long now = System.nanoTime();
    if (now - writeWaitsResumeNanos < 0) {
      return;
    }
    long deadline = now + timeoutNanos;
    for (CompletableFuture<?> write : writes) {
      try {
        Uninterruptibly.get(write, deadline);
      } catch (TimeoutException e) {
        // Redis hangs: the writes of the next second do not wait (a JVM that only writes has no
        // reads to open the circuit breaker). Each is a missed eviction, made good where it was sent.
        writeWaitsResumeNanos = System.nanoTime() + CircuitBreaker.OPEN_NANOS;
        return;
      } catch (ExecutionException e) {
        // refused: a missed eviction, reported and made good where it was sent
      }
    }
  }

  @Override
  public void whenConnected(Runnable action) {
    onReconnect.add(action);
    firstConnected.thenRun(action);
  }

  private static void runQuietly(Runnable action) {
    try {
      action.run();
    } catch (RuntimeException | LinkageError e) {
      AgentLog.warn("on-connect", "could not act on the new connection (" + e + ")");
    }
  }

  /** Whether the first connect has succeeded (Lettuce may be reconnecting since). */
  public boolean isConnected() {
    StatefulRedisConnection<String, byte[]> current = connection;
    return current != null && current.isOpen();
  }

  @Override
  public String state() {
    return connection == null ? "connecting" : !isConnected() ? "not connected" : breaker.isOpen() ? "circuit open" : "connected";
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
    // Lettuce's own command timeout (TimeoutOptions) ends a reply that does not come.
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
    StatefulRedisConnection<String, byte[]> current = connection();
    if (current == null) {
      return null; // not connected yet; the connector thread reports why
    }
    if (!current.isOpen()) {
      trouble("redis-lost", "lost the connection to " + settings.maskedUri()
          + "; calls run uncached until it is back (reconnecting every "
          + LettuceResources.MAX_RECONNECT_PAUSE.toMillis() + " ms at most)");
      return null;
    }
    if (System.nanoTime() - readsResumeNanos < 0) {
      return null; // just reconnected: other JVMs may not be back yet
    }
    if (!breaker.allowRequest()) {
      return null;
    }
    try {
      return current.async().mget(keys);
    } catch (RuntimeException e) {
      readFailed(e);
      return null;
    }
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
    RedisAsyncCommands<String, byte[]> redis = connected();
    return redis == null ? NOT_CONNECTED : confirmed(redis.set(key, value, SetArgs.Builder.px(ttl.toMillis())));
  }

  @Override
  public CompletionStage<?> set(String key, byte[] value) {
    RedisAsyncCommands<String, byte[]> redis = connected();
    return redis == null ? NOT_CONNECTED : confirmed(redis.set(key, value));
  }

  @Override
  public void setIfAbsent(String key, byte[] value) {
    RedisAsyncCommands<String, byte[]> redis = commands();
    if (redis != null) {
      watch(redis.set(key, value, SetArgs.Builder.nx()));
    }
  }

  @Override
  public void setIfAbsent(String key, byte[] value, Duration ttl) {
    RedisAsyncCommands<String, byte[]> redis = commands();
    if (redis != null) {
      watch(redis.set(key, value, SetArgs.Builder.nx().px(ttl.toMillis())));
    }
  }

  @Override
  public void replace(String key, byte[] expected, byte[] value, Duration ttl) {
    RedisAsyncCommands<String, byte[]> redis = commands();
    if (redis != null) {
      byte[] millis = Long.toString(ttl.toMillis()).getBytes(StandardCharsets.US_ASCII);
      watch(redis.eval(COMPARE_AND_SET, ScriptOutputType.STATUS, new String[] {key}, expected, value, millis));
    }
  }

  @Override
  public Lease tryLease(String key, byte[] token, Duration lease) {
    RedisAsyncCommands<String, byte[]> redis = commands();
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
    RedisAsyncCommands<String, byte[]> redis = commands();
    if (redis != null) {
      watch(redis.eval(COMPARE_AND_DELETE, ScriptOutputType.INTEGER, new String[] {key}, token));
    }
  }

  /** The commands for a store or a lease, or {@code null} when it would not reach Redis or only time out. */
  private RedisAsyncCommands<String, byte[]> commands() {
    return breaker.isOpen() ? null : connected();
  }

  /** The commands for an eviction, or {@code null} when it would not reach Redis; sent whatever the breaker. */
  private RedisAsyncCommands<String, byte[]> connected() {
    StatefulRedisConnection<String, byte[]> current = connection();
    return current == null || !current.isOpen() ? null : current.async();
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
    writeWaitsResume();
  }

  /**
   * Redis answered something other than a read (a confirmed write, a new connection): the breaker
   * closes if open, and write methods wait for their evictions again; reads' failure count stays.
   */
  private void answeredOtherThanARead() {
    breaker.closeIfOpen();
    writeWaitsResume();
  }

  private void writeWaitsResume() {
    long now = System.nanoTime();
    if (now - writeWaitsResumeNanos < 0) {
      writeWaitsResumeNanos = now;
    }
  }

  private static CompletionStage<?> watch(RedisFuture<?> reply) {
    return reply.whenComplete((ok, failure) -> {
      if (failure != null) {
        AgentLog.warn("redis-write", "redis write failed (" + rootMessage(failure) + ")");
      }
    });
  }

  private static String rootMessage(Throwable t) {
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
    closed = true;
    StatefulRedisConnection<String, byte[]> current = connection;
    if (current != null) {
      current.close();
    }
    RedisClient created = client;
    if (created != null) {
      created.shutdown(Duration.ZERO, Duration.ofSeconds(1));
    }
    ClientResources made = resources;
    if (made != null) {
      LettuceResources.shutdown(made);
    }
  }
}
