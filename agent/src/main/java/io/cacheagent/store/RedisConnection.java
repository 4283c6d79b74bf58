package io.cacheagent.store;

import io.cacheagent.config.RedisSettings;
import io.cacheagent.config.TlsFiles;
import io.cacheagent.logging.AgentLog;
import io.cacheagent.threads.AgentThreads;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.event.connection.ConnectionActivatedEvent;
import io.lettuce.core.event.connection.ReconnectAttemptEvent;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.resource.ClientResources;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Predicate;
import lombok.Value;

/*
 * The one Lettuce connection of a RedisStore, and its life: the first connect, reconnects, and the
 * moments after them when reads must not go to Redis yet.
 *
 * The connection is opened on a daemon thread, never on the application's, from the agent's start.
 * Lettuce and Netty take most of a second to load on a small machine, and a call made before the
 * connection is up would run uncached: so until the first connect attempt has ended, callers wait
 * for it, but never past FIRST_CONNECT_WAIT from the store's creation. A failed first connect is
 * retried with growing pauses; once connected, Lettuce reconnects by itself, trying every 100 ms at
 * most. While disconnected, commands are rejected at once rather than queued, so a call never waits
 * for a reconnect. For a moment after a reconnect, reads still wait (SETTLE_NANOS), until the other
 * JVMs are back too.
 */
final class RedisConnection {

  /** How long after the store's creation calls may wait for the first connect attempt to end. */
  static final Duration FIRST_CONNECT_WAIT = Duration.ofSeconds(2);

  /**
   * Commands that may wait for a reply at once. A hung Redis keeps timed-out commands until it
   * answers; past this bound new ones fail at once instead of growing the heap.
   */
  static final int REQUEST_QUEUE_SIZE = 10_000;

  /**
   * After a reconnect, reads wait this long before going to Redis again: until then, another JVM
   * whose connection dropped too may not be back, and its writes are evictions Redis never got;
   * once it is back, it drops what they made stale (see MissedEvictions) before this JVM reads.
   */
  static final long SETTLE_NANOS = 2 * (LettuceResources.MAX_RECONNECT_PAUSE.toNanos() + LettuceResources.TIMER_TICK.toNanos());

  /**
   * The open connection and its commands: one server's, or a cluster's, whose commands route each
   * key to the master (or replica) that serves its hash slot.
   */
  @Value
  static class Link {
    StatefulConnection<String, byte[]> connection;
    RedisClusterAsyncCommands<String, byte[]> commands;
    boolean cluster;

    /**
     * Whether commands can reach Redis: for one server, whether its connection is up. A cluster
     * connection's own flag follows one node's channel only; there, a lost node fails the commands
     * for its slots, and the connection counts as open until closed.
     */
    boolean isOpen() {
      return cluster || connection.isOpen();
    }
  }

  /** How far readsResumeNanos moves at a disconnect: an hour, until the reconnect sets it again. */
  private static final long DISCONNECTED_NANOS = TimeUnit.HOURS.toNanos(1);

  private static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);
  private static final long MAX_RETRY_PAUSE_MILLIS = 30_000;

  private final RedisSettings settings;
  private final CompletableFuture<ClientResources> madeInAdvance;
  /** Run at each reconnect, before the actions of {@link #whenConnected}. */
  private final Runnable onEveryReconnect;
  /** Completed when the first connect attempt has ended, connected or not. */
  private final CompletableFuture<Void> firstAttempt = new CompletableFuture<>();
  private final long firstConnectWaitEndsNanos;
  /** Completed, on the connector thread, when the first connect succeeded. */
  private final CompletableFuture<Void> firstConnected = new CompletableFuture<>();
  /** What {@link #whenConnected} asked to run again after each reconnect. */
  private final List<Runnable> onReconnect = new CopyOnWriteArrayList<>();
  /** Made on the connector thread: loading Lettuce and Netty is most of the cost of connecting. */
  private volatile ClientResources resources;
  private volatile AbstractRedisClient client;
  private volatile Link connection;
  private volatile boolean closed;
  /** On a cluster, the slots whose reads wait (see HeldSlots); {@code null} on one server. */
  private final HeldSlots heldSlots;
  /** After a reconnect to another server, the drop of every entry that reads wait for (see followServer). */
  private final FailoverDrop failoverDrop = new FailoverDrop();
  /** What tells the near caches of changed keys (see KeyTracking); {@code null} where there is none. */
  private final KeyTracking tracking;
  /** Until when reads do not go to Redis, after a reconnect (see {@link #SETTLE_NANOS}). */
  private volatile long readsResumeNanos = System.nanoTime();

  /**
   * Starts connecting on the daemon thread {@code cache-agent-redis-connect}.
   *
   * @param madeInAdvance Lettuce resources made before the configuration was parsed; {@code null}: makes its own
   * @param onEveryReconnect what Redis answering a new connection means to the store
   * @param tracking what follows the connection (one server) or the masters (a cluster) for the near caches; {@code null}: none
   */
  RedisConnection(RedisSettings settings, CompletableFuture<ClientResources> madeInAdvance, Runnable onEveryReconnect,
      KeyTracking tracking) {
    this.settings = settings;
    this.tracking = tracking;
    this.madeInAdvance = madeInAdvance;
    this.onEveryReconnect = onEveryReconnect;
    this.firstConnectWaitEndsNanos = System.nanoTime() + FIRST_CONNECT_WAIT.toNanos();
    this.heldSlots = settings.isCluster() ? new HeldSlots(ClusterClient.NEW_MASTER_WAIT) : null;
    AgentThreads.daemon("redis-connect", this::connectUntilUp).start();
  }

  /**
   * The connection, {@code null} before the first connect. While the first attempt is under way,
   * waits for it, but not past {@link #FIRST_CONNECT_WAIT} from the store's creation; an interrupt
   * does not cut the wait short and is kept.
   */
  Link await() {
    Link current = connection;
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

  /**
   * Whether reads wait: from a disconnect until {@link #SETTLE_NANOS} after the reconnect, and
   * after a reconnect to another server process until every entry is dropped (see FailoverDrop).
   */
  boolean readsWait() {
    return failoverDrop.isPending() || System.nanoTime() - readsResumeNanos < 0;
  }

  /** Sets what drops the entries of keys whose latest writes Redis may have lost: after a failover. */
  void whenWritesMayBeLost(Function<Predicate<String>, CompletableFuture<?>> action) {
    failoverDrop.dropEntriesWith(action);
    if (heldSlots != null) {
      heldSlots.dropEntriesWith(action);
    }
  }

  /** On a cluster, the slots whose reads wait (see HeldSlots); {@code null} on one server. */
  HeldSlots heldSlots() {
    return heldSlots;
  }

  /** Runs {@code action} once the first connect succeeded, and again after each reconnect. */
  void whenConnected(Runnable action) {
    onReconnect.add(action);
    firstConnected.thenRun(action);
  }

  /** Whether the first connect has succeeded (Lettuce may be reconnecting since). */
  boolean isConnected() {
    Link current = connection;
    return current != null && current.isOpen();
  }

  /** Whether a first connect has succeeded, open or not now. */
  boolean wasEverConnected() {
    return connection != null;
  }

  private AbstractRedisClient createClient() {
    resources = madeInAdvance == null ? LettuceResources.make() : madeInAdvance.exceptionally(failed -> {
      AgentLog.warn("redis-load", "could not prepare the redis client in advance (" + RedisStore.rootMessage(failed)
          + "); preparing it again");
      return LettuceResources.make();
    }).join();
    return settings.isCluster() ? createClusterClient() : createServerClient();
  }

  private AbstractRedisClient createServerClient() {
    AsyncOnlyRedisClient created = new AsyncOnlyRedisClient(resources, RedisURI.create(settings.uri()));
    ClientOptions.Builder options = ClientOptions.builder();
    created.setOptions(withCommonOptions(options).build());
    return created;
  }

  /** A Redis Cluster client: the same options as for one server, and those of ClusterClient. */
  private AbstractRedisClient createClusterClient() {
    ClusterTracking nodesTracking = tracking instanceof ClusterTracking ? (ClusterTracking) tracking : null;
    ClusterClient created = new ClusterClient(resources, settings, heldSlots, nodesTracking);
    created.setOptions(created.withClusterOptions(withCommonOptions(ClusterClientOptions.builder())).build());
    if (nodesTracking != null) { // RESP3: the messages of changed keys come as pushes
      nodesTracking.openWith(resources, withCommonOptions(ClientOptions.builder()).protocolVersion(ProtocolVersion.RESP3).build());
    }
    return created;
  }

  /**
   * What every client gets, one server's or a cluster's: TLS, automatic reconnects, a bounded
   * queue, commands rejected at once while disconnected, and the command timeout.
   */
  private <B extends ClientOptions.Builder> B withCommonOptions(B options) {
    options.sslOptions(sslOptions(settings.tls()))
        .autoReconnect(true)
        .requestQueueSize(REQUEST_QUEUE_SIZE)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .timeoutOptions(TimeoutOptions.enabled(settings.commandTimeout()));
    return options;
  }

  /** Opens the connection: to one server, or to a cluster, reading from the nodes {@code redis.readFrom} names. */
  private Link connect() {
    if (client instanceof ClusterClient) {
      StatefulRedisClusterConnection<String, byte[]> opened = ((ClusterClient) client).open(CODEC);
      return new Link(opened, opened.async(), true);
    }
    StatefulRedisConnection<String, byte[]> opened = ((AsyncOnlyRedisClient) client).connect(CODEC);
    return new Link(opened, opened.async(), false);
  }

  /** The certificates of {@code redis.tls}, read at each connect; Lettuce's defaults (the JVM's trust store) without it. */
  private static SslOptions sslOptions(TlsFiles tls) {
    SslOptions.Builder options = SslOptions.builder().jdkSslProvider();
    if (tls != null && tls.caCert() != null) {
      options.trustManager(tls.caCert().toFile());
    }
    if (tls != null && tls.clientCert() != null) {
      options.keyManager(tls.clientCert().toFile(), tls.clientKey().toFile(), null);
    }
    return options.build();
  }

  private void connectUntilUp() {
    long pause = 500;
    while (!closed) {
      try {
        if (client == null) {
          client = createClient();
        }
        connection = connect();
        AgentLog.resolved("redis-connect");
        AgentLog.info("connected to " + settings.maskedUri());
        // Lettuce reconnects by itself; each time the connection is usable again, what was left
        // undone while it was lost (the drops of missed evictions) is sent at once. Redis has just
        // answered the new connection's handshake: the failures that opened the breaker were the
        // old one's, and while it stays open no write is sent, though other JVMs may read already.
        if (settings.isCluster()) {
          followNodes();
        } else {
          followServer(connection);
        }
        firstConnected.complete(null);
        return;
      } catch (RuntimeException | LinkageError e) {
        if (closed) {
          return;
        }
        AgentLog.warn("redis-connect", "cannot connect to " + settings.maskedUri() + " (" + RedisStore.rootMessage(e)
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

  /** Redis answers a new connection: reads wait SETTLE_NANOS, and what was left undone is sent. */
  private void reconnected() {
    readsResumeNanos = System.nanoTime() + SETTLE_NANOS;
    onEveryReconnect.run();
    onReconnect.forEach(RedisConnection::runQuietly);
  }

  /**
   * One server's connection, told of by Lettuce for this connection alone (not its short
   * connections to sentinels). Lettuce reports on its own thread, so a read may find the
   * connection open again before it hears of the reconnect; reads stop at the disconnect and
   * resume SETTLE_NANOS after the reconnect. A reconnect that reaches another server process than
   * before (see ServerIdentity) is a failover or a restart: see {@link #anotherServer}.
   */
  private void followServer(Link link) {
    ServerTracking serverTracking = (ServerTracking) tracking; // on one server, never null
    ServerIdentity server = new ServerIdentity();
    server.learn(link.commands());
    link.connection().addListener(new RedisConnectionStateListener() {
      @Override
      public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
        readsResumeNanos = System.nanoTime() + DISCONNECTED_NANOS;
        serverTracking.disconnected();
      }

      @Override
      public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
        server.changed(link.commands()).thenAccept(changed -> {
          if (changed) {
            anotherServer();
          }
          reconnected();
        });
      }
    });
    serverTracking.follow(link); // after the listener: a drop in between would leave the copies valid
  }

  /**
   * The server may lack evictions the one before had confirmed (a replica promoted before it got
   * them, a restart from a file not yet flushed): no read goes to it until every entry of every
   * method is dropped there.
   */
  private void anotherServer() {
    AgentLog.warn("redis-failover", "redis: reconnected to another server process than before (a failover or a restart);"
        + " calls run uncached until every entry is dropped, as it may lack the last evictions");
    failoverDrop.start(() -> {
      readsResumeNanos = System.nanoTime() + SETTLE_NANOS;
      AgentLog.resolved("redis-failover");
      AgentLog.resolved("failover-drop");
      AgentLog.info("redis: dropped every entry after the failover or restart; caching resumes");
    });
  }

  /**
   * On a cluster, a lost node does not stop reads of the others: its slots' reads are held until it
   * is back (see HeldSlots). A node reached again is a reconnect, as for one server (see
   * NodeConnections).
   */
  private void followNodes() {
    NodeConnections nodes = new NodeConnections();
    resources.eventBus().get().subscribe(event -> {
      if (event instanceof ConnectionActivatedEvent) {
        ConnectionActivatedEvent opened = (ConnectionActivatedEvent) event;
        heldSlots.nodeBack(opened.remoteAddress()); // at whatever address the node is reached now
        if (nodes.opened(opened.remoteAddress())) {
          reconnected();
        }
      } else if (event instanceof ReconnectAttemptEvent) {
        ReconnectAttemptEvent attempt = (ReconnectAttemptEvent) event;
        nodes.reconnecting(attempt.remoteAddress());
        heldSlots.nodeLost(attempt.remoteAddress());
      }
    });
  }

  private static void runQuietly(Runnable action) {
    try {
      action.run();
    } catch (RuntimeException | LinkageError e) {
      AgentLog.warn("on-connect", "could not act on the new connection (" + e + ")");
    }
  }

  void close() {
    closed = true;
    if (tracking != null) {
      tracking.close();
    }
    if (heldSlots != null) {
      heldSlots.close();
    }
    Link current = connection;
    if (current != null) {
      current.connection().close();
    }
    AbstractRedisClient created = client;
    if (created != null) {
      created.shutdown(Duration.ZERO, Duration.ofSeconds(1));
    }
    ClientResources made = resources;
    if (made != null) {
      LettuceResources.shutdown(made);
    }
  }
}
