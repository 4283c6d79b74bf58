package io.cacheagent.store;

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

/*
 * Key tracking on a Redis Cluster (see KeyTracking): a connection of its own to each master, on
 * which Redis tells of every change to a key under the agent's prefix (broadcast mode, CLIENT
 * TRACKING ON BCAST PREFIX), whichever connection read it.
 *
 * Broadcast mode is what makes it hold on a cluster. A read goes on Lettuce's pooled connection to
 * the slot's master, and a MOVED or ASK can send it elsewhere; tracking of the keys read would have
 * to follow every such connection. A master in broadcast mode tells of every change it makes to
 * the agent's keys, whoever reads them: a key moved to another master is told of by that one. The
 * order between a read and the message is then not one connection's, and it need not be: a
 * read's place is held before it is sent (NearCache.Reading), and a message heard before its
 * answer removes it, so a copy is kept only of what Redis answered after the last change told of.
 *
 * Copies are served only while every master of the topology Lettuce routes by has a tracked
 * connection that answered a PING within the bound. A new topology voids every copy: a new
 * master has told this JVM nothing yet. The cost of broadcast mode is that each change to any of
 * the agent's keys (a miss storing its entry too) is told to every JVM that has a near cache.
 */
final class ClusterTracking extends KeyTracking {

  /** One master's tracked connection, opened by the heartbeat; {@code null} until it is. */
  private final class Master {
    final RedisURI uri;
    final TrackedConnection tracked = new TrackedConnection(ClusterTracking.this, trackingArgs);
    volatile StatefulRedisConnection<String, String> connection;
    volatile boolean connecting;
    volatile boolean closed;

    Master(RedisURI uri) {
      this.uri = uri;
    }

    void beat() {
      StatefulRedisConnection<String, String> current = connection;
      if (current == null && !connecting) {
        connect();
      } else if (current != null && current.isOpen()) {
        tracked.beat(current, current.async());
      }
    }

    private void connect() {
      AsyncOnlyRedisClient opener = client;
      if (opener == null) {
        return; // the cluster connection is not open yet
      }
      connecting = true;
      opener.connectAsync(StringCodec.UTF8, uri).whenComplete((opened, failure) -> {
        connecting = false;
        if (failure != null) {
          AgentLog.warn("near-cache-node:" + uri.getHost() + ":" + uri.getPort(), "nearCache copies are not served: cannot open"
              + " the tracking connection to " + uri.getHost() + ":" + uri.getPort() + " (" + RedisStore.rootMessage(failure)
              + "); trying again every " + HEARTBEAT.toMillis() + " ms");
          return;
        }
        AgentLog.resolved("near-cache-node:" + uri.getHost() + ":" + uri.getPort());
        opened.addListener(tracked::pushed);
        opened.addListener(new RedisConnectionStateListener() {
          @Override
          public void onRedisDisconnected(RedisChannelHandler<?, ?> dropped) {
            tracked.disconnected();
          }

          @Override
          public void onRedisConnected(RedisChannelHandler<?, ?> reconnected, SocketAddress address) {}
        });
        connection = opened;
        if (closed) { // it left the topology while the connection was opening
          opened.closeAsync();
        }
      });
    }

    /** No longer a master of the topology: its connection closes. */
    void close() {
      closed = true;
      StatefulRedisConnection<String, String> current = connection;
      if (current != null) {
        current.closeAsync();
      }
    }
  }

  private final TrackingArgs trackingArgs;
  /** The masters of the topology commands are routed by, with their connections; empty before the first. */
  private volatile Master[] masters = new Master[0];
  /** The slots of each master, by {@code host:port}, in the topology of {@link #masters}. Guarded by this. */
  private Map<String, BitSet> slotsOf = Map.of();
  /** Opens the tracked connections; {@code null} until the cluster client is made. */
  private volatile AsyncOnlyRedisClient client;
  /** The seed URI the tracked connections take their credentials and TLS from. */
  private final RedisURI seed;

  /** Told of changes to the keys under {@code keyPrefix}; connects with the credentials and TLS of {@code seed}. */
  ClusterTracking(String keyPrefix, RedisURI seed, Duration commandTimeout, BooleanSupplier circuitOpen) {
    super(commandTimeout, circuitOpen);
    this.seed = seed;
    this.trackingArgs = TrackingArgs.Builder.enabled().bcast().prefixes(keyPrefix + ":");
  }

  @Override
  boolean isTelling(long nowNanos) {
    Master[] current = masters;
    if (current.length == 0) {
      return false;
    }
    for (Master master : current) {
      if (!master.tracked.isTelling(nowNanos, staleNanos)) {
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
   * A topology Lettuce is about to route by: if its masters or their slots differ from the last
   * one's, every copy is void, and copies are served again once each master tells of changes.
   */
  synchronized void topology(Iterable<RedisClusterNode> nodes) {
    Map<String, BitSet> next = new LinkedHashMap<>();
    Map<String, RedisURI> uris = new LinkedHashMap<>();
    for (RedisClusterNode node : nodes) {
      BitSet slots = new BitSet();
      node.forEachSlot(slots::set);
      if (node.is(RedisClusterNode.NodeFlag.UPSTREAM) && !slots.isEmpty()) { // a master without slots holds no key
        String address = node.getUri().getHost() + ":" + node.getUri().getPort();
        next.put(address, slots);
        uris.put(address, node.getUri());
      }
    }
    if (next.isEmpty() || next.equals(slotsOf)) {
      return;
    }
    Map<String, Master> before = new LinkedHashMap<>();
    for (Master master : masters) {
      before.put(master.uri.getHost() + ":" + master.uri.getPort(), master);
    }
    Master[] updated = new Master[next.size()];
    int i = 0;
    for (String address : next.keySet()) {
      Master kept = before.remove(address);
      updated[i++] = kept != null ? kept : new Master(nodeUri(uris.get(address)));
    }
    masters = updated; // before the void: a copy read under the old topology is not served under the new one
    voidEveryCopy();
    before.values().forEach(Master::close);
    slotsOf = next;
  }

  /** A master's address, with the seed's credentials, TLS and timeout. */
  private RedisURI nodeUri(RedisURI node) {
    return RedisURI.builder(seed).withHost(node.getHost()).withPort(node.getPort()).build();
  }

  @Override
  void beat() {
    for (Master master : masters) {
      master.beat();
    }
  }

  @Override
  synchronized void close() {
    super.close();
    AsyncOnlyRedisClient opener = client;
    if (opener != null) { // it closes every connection it opened
      opener.shutdown(Duration.ZERO, Duration.ofSeconds(1));
    }
  }
}
