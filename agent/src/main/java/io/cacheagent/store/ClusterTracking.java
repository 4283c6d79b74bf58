package io.cacheagent.store;

import io.cacheagent.jdk.Immutable;
import io.cacheagent.logging.AgentLog;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TrackingArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import lombok.Value;

/*
 * Key tracking on a Redis Cluster (see KeyTracking): a connection of its own to each node, on
 * which Redis tells of every change to a key under the agent's prefix (broadcast mode, CLIENT
 * TRACKING ON BCAST PREFIX), whichever connection read it.
 *
 * Broadcast mode is what makes it hold on a cluster. A read goes on Lettuce's pooled connection to
 * the slot's master, and a MOVED or ASK can send it elsewhere; tracking of the keys read would have
 * to follow every such connection. A node in broadcast mode tells of every change it makes to the
 * agent's keys, whoever reads them. The order between a read and the message is then not one
 * connection's, and it need not be: a read's place is held before it is sent (NearCache.Reading),
 * and a message heard before its answer removes it, so a copy is kept only of what Redis answered
 * after the last change told of, or is removed by the message that follows.
 *
 * Every node of the topology is tracked, replicas and masters without slots too: a replica may be
 * promoted (a CLUSTER FAILOVER leaves the old master up and answering, and a read it redirects is
 * answered by the new one), and a master without slots may be importing some (a read sent there by
 * ASK). Only nodes the cluster marked as failed, or without an address, are left out. Copies are
 * served only while every tracked node answered a PING within the bound; a new topology (other
 * nodes, roles or slots) voids every copy. The cost of broadcast mode is that each change to any of
 * the agent's keys (a miss storing its entry too) is told to every JVM that has a near cache, by
 * its master and by each replica as it applies it.
 */
final class ClusterTracking extends KeyTracking {

  /** The longest pause between two tries to open a node's tracked connection. */
  private static final long MAX_CONNECT_PAUSE_NANOS = Duration.ofSeconds(30).toNanos();

  /** What of a node's place in the topology voids the copies when it changes. */
  @Value
  private static class Role {

    /** Whether the node is a master. */
    boolean master;
    /** The slots it serves. */
    BitSet slots;
  }

  /** One node's tracked connection, opened by the heartbeat; {@code null} until it is. */
  private final class Node {
    final RedisURI uri;
    final String address;
    final TrackedConnection tracked;
    volatile StatefulRedisConnection<String, String> connection;
    /** Whether a connect is under way; cleared only once its connection, if any, is published. */
    volatile boolean connecting;
    volatile boolean closed;
    private volatile long nextConnectNanos = System.nanoTime();
    private volatile long connectPauseNanos = HEARTBEAT.toNanos();

    Node(RedisURI uri) {
      this.uri = uri;
      this.address = address(uri);
      this.tracked = new TrackedConnection(ClusterTracking.this, trackingArgs, "near-cache-tracking:" + address);
    }

    /** On the heartbeat thread: opens the connection when due, or turns tracking on and PINGs. */
    void beat() {
      StatefulRedisConnection<String, String> current = connection;
      if (current == null && !connecting && System.nanoTime() - nextConnectNanos >= 0) {
        connect();
      } else if (current != null && current.isOpen()) {
        tracked.beat(current, current.async());
      }
    }

    private void connect() {
      AsyncOnlyRedisClient opener = client;
      if (opener == null) {
        return; // the cluster client is not made yet
      }
      connecting = true;
      opener.connectAsync(StringCodec.UTF8, uri).whenComplete((opened, failure) -> {
        try {
          if (failure == null) {
            opened(opened);
          } else {
            failed(failure);
          }
        } finally {
          connecting = false; // after the connection is published: a beat meanwhile opens no second one
        }
      });
    }

    private void opened(StatefulRedisConnection<String, String> opened) {
      opened.addListener(tracked::pushed);
      opened.addListener(new RedisConnectionStateListener() {
        @Override
        public void onRedisDisconnected(RedisChannelHandler<?, ?> dropped) {
          tracked.disconnected();
        }

        @Override
        public void onRedisConnected(RedisChannelHandler<?, ?> reconnected, SocketAddress at) {}
      });
      connection = opened;
      connectPauseNanos = HEARTBEAT.toNanos();
      AgentLog.resolved("near-cache-node:" + address);
      if (closed || isClosed()) { // it left the topology, or the store closed, while the connection was opening
        opened.closeAsync();
      }
    }

    private void failed(Throwable failure) {
      nextConnectNanos = System.nanoTime() + connectPauseNanos;
      AgentLog.warn("near-cache-node:" + address, "nearCache copies are not served: cannot open the tracking connection to "
          + address + " (" + RedisStore.rootMessage(failure) + "; it needs Redis 6 or later, for RESP3); trying again in "
          + Math.max(1, connectPauseNanos / 1_000_000_000) + " s at most, then less often");
      connectPauseNanos = Math.min(connectPauseNanos * 2, MAX_CONNECT_PAUSE_NANOS);
    }

    /** No near cache is left: Redis stops telling of changes on its connection, which stays open for the next. */
    void stopTracking() {
      StatefulRedisConnection<String, String> current = connection;
      tracked.turnOff(current != null && current.isOpen() ? current.async() : null);
    }

    /** No longer in the topology: its connection closes. */
    void close() {
      closed = true;
      StatefulRedisConnection<String, String> current = connection;
      if (current != null) {
        current.closeAsync();
      }
    }
  }

  private final TrackingArgs trackingArgs;
  /** The seed URI the tracked connections take their credentials and TLS from. */
  private final RedisURI seed;
  /** The nodes of the topology commands are routed by, with their connections; empty before the first. */
  private volatile Node[] nodes = new Node[0];
  /** Each tracked node's role, by {@code host:port}, in the topology of {@link #nodes}. Guarded by this. */
  private Map<String, Role> roles = Immutable.mapOf();
  /** Opens the tracked connections; {@code null} until the cluster client is made. */
  private volatile AsyncOnlyRedisClient client;

  /** Told of changes to the keys under {@code keyPrefix}; connects with the credentials and TLS of {@code seed}. */
  ClusterTracking(String keyPrefix, RedisURI seed, Duration commandTimeout, BooleanSupplier circuitOpen) {
    super(commandTimeout, circuitOpen);
    this.seed = seed;
    this.trackingArgs = TrackingArgs.Builder.enabled().bcast().prefixes(keyPrefix + ":");
  }

  @Override
  boolean isTelling(long nowNanos) {
    Node[] current = nodes;
    if (current.length == 0) {
      return false;
    }
    for (Node node : current) {
      if (!node.tracked.isTelling(nowNanos, staleNanos)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The cluster client is made: the tracked connections may be opened, on its {@code resources},
   * with {@code options} (TLS, timeouts; RESP3, which carries the messages).
   */
  void openWith(ClientResources resources, ClientOptions options) {
    AsyncOnlyRedisClient opener = new AsyncOnlyRedisClient(resources, seed);
    opener.setOptions(options);
    client = opener;
  }

  /**
   * A topology Lettuce is about to route by: if its nodes, their roles or their slots differ from
   * the last one's, every copy is void, and copies are served again once each node tells of changes.
   */
  synchronized void topology(Iterable<RedisClusterNode> topology) {
    Map<String, Role> next = new LinkedHashMap<>();
    Map<String, RedisURI> uris = new LinkedHashMap<>();
    for (RedisClusterNode node : topology) {
      if (node.getUri() == null || node.is(RedisClusterNode.NodeFlag.FAIL) || node.is(RedisClusterNode.NodeFlag.NOADDR)
          || node.is(RedisClusterNode.NodeFlag.HANDSHAKE)) {
        continue; // failed by the cluster's vote (it serves nothing, and is not promoted), or not reachable at an address yet
      }
      BitSet slots = new BitSet();
      node.forEachSlot(slots::set);
      String address = address(node.getUri());
      next.put(address, new Role(node.is(RedisClusterNode.NodeFlag.UPSTREAM), slots));
      uris.put(address, node.getUri());
    }
    if (next.isEmpty() || next.equals(roles)) {
      return;
    }
    Map<String, Node> before = new LinkedHashMap<>();
    for (Node node : nodes) {
      before.put(node.address, node);
    }
    Node[] updated = new Node[next.size()];
    int i = 0;
    for (String address : next.keySet()) {
      Node kept = before.remove(address);
      updated[i++] = kept != null ? kept : new Node(nodeUri(uris.get(address)));
    }
    nodes = updated; // before the void: a copy read under the old topology is not served under the new one
    voidEveryCopy();
    before.values().forEach(Node::close);
    roles = next;
  }

  /**
   * No topology can be followed (reading one failed): no copy is served until one is. The next
   * topology opens the connections again.
   */
  synchronized void topologyUnknown() {
    Node[] dropped = nodes;
    nodes = new Node[0];
    roles = Immutable.mapOf();
    voidEveryCopy();
    for (Node node : dropped) {
      node.close();
    }
  }

  /** {@code host:port}: what tells nodes apart from one topology to the next. */
  private static String address(RedisURI uri) {
    return uri.getHost() + ":" + uri.getPort();
  }

  /** A node's address, with the seed's credentials, TLS and timeout. */
  private RedisURI nodeUri(RedisURI node) {
    return RedisURI.builder(seed).withHost(node.getHost()).withPort(node.getPort()).build();
  }

  @Override
  void beat() {
    for (Node node : nodes) {
      node.beat();
    }
  }

  @Override
  void stopTracking() {
    for (Node node : nodes) {
      node.stopTracking();
    }
  }

  @Override
  void close() {
    super.close();
    AsyncOnlyRedisClient opener = client;
    if (opener != null) { // it closes every connection it opened; outside the lock topology() takes
      opener.shutdown(Duration.ZERO, Duration.ofSeconds(1));
    }
  }
}
