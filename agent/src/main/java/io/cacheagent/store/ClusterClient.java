package io.cacheagent.store;

import io.cacheagent.config.RedisSettings;
import io.cacheagent.logging.AgentLog;
import io.lettuce.core.ReadFrom;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.protocol.ConnectionIntent;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * Lettuce's Redis Cluster client, as the store uses it: its topology read every {@link
 * #TOPOLOGY_REFRESH} and whenever a node redirects a command or cannot be reached, so that a
 * promoted replica serves its slots without a restart; each topology shown to {@link HeldSlots}
 * (and to the near caches' {@link ClusterTracking}) before commands are routed by it; the
 * connections to the nodes opened before the first call.
 */
final class ClusterClient extends RedisClusterClient {

  /**
   * How often the topology is read again when nothing asked for it. Lettuce also reads it at once
   * when a node answers MOVED or ASK, or cannot be reached (its adaptive refresh, at most once in
   * 30 s). Every JVM knows of a failover within this time, plus the time a refresh takes.
   */
  static final Duration TOPOLOGY_REFRESH = Duration.ofSeconds(5);

  /**
   * How long a connect to a node may take. A topology refresh asks every known node, a dead one
   * too, and takes as long as the slowest connect: this bounds it.
   */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

  /**
   * How long a topology refresh waits for a node's answer. Lettuce takes it from the seed URIs,
   * whose default is 60 s: a node that accepts connections but does not answer would hold every
   * refresh that long.
   */
  static final Duration TOPOLOGY_QUERY_TIMEOUT = Duration.ofSeconds(1);

  private final RedisSettings settings;
  private final HeldSlots heldSlots;
  /** What tells the near caches of changes, told of each topology too; {@code null}: none. */
  private final ClusterTracking tracking;

  ClusterClient(ClientResources resources, RedisSettings settings, HeldSlots heldSlots, ClusterTracking tracking) {
    super(resources, settings.cluster().stream().map(ClusterClient::seed).collect(Collectors.toList()));
    this.settings = settings;
    this.heldSlots = heldSlots;
    this.tracking = tracking;
  }

  /**
   * How long reads of slots that have a new master wait before this JVM drops their entries (see
   * HeldSlots): until every other JVM has read the new topology, in its next periodic refresh (at
   * most a connect and a topology query long), and has sent the drops of the evictions it missed
   * meanwhile (retried every second), with a second to spare: 10 s.
   */
  static final Duration NEW_MASTER_WAIT =
      TOPOLOGY_REFRESH.plus(CONNECT_TIMEOUT).plus(TOPOLOGY_QUERY_TIMEOUT).plus(Duration.ofSeconds(1)).plus(Duration.ofSeconds(1));

  private static RedisURI seed(String uri) {
    RedisURI seed = RedisURI.create(uri);
    seed.setTimeout(TOPOLOGY_QUERY_TIMEOUT);
    return seed;
  }

  /** {@code options}, with the connect timeout and topology refresh of a cluster. */
  ClusterClientOptions.Builder withClusterOptions(ClusterClientOptions.Builder options) {
    return options.socketOptions(SocketOptions.builder().connectTimeout(CONNECT_TIMEOUT).build())
        .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
            .enablePeriodicRefresh(TOPOLOGY_REFRESH)
            .enableAllAdaptiveRefreshTriggers()
            .build());
  }

  /** Lettuce's own hook, called with each topology it read, before commands are routed by it. */
  @Override
  protected Partitions determinePartitions(Partitions current, Map<RedisURI, Partitions> topologyViews) {
    Partitions chosen = super.determinePartitions(current, topologyViews);
    heldSlots.topology(chosen);
    if (tracking != null) {
      try {
        tracking.topology(chosen);
      } catch (RuntimeException e) { // thrown into Lettuce, it would keep every later topology from being used
        tracking.topologyUnknown();
        AgentLog.warn("near-cache-topology", "nearCache copies are not served: could not follow the cluster's topology (" + e + ")");
      }
    }
    return chosen;
  }

  /** Opens the connection, reading from the nodes {@code redis.readFrom} names. */
  <V> StatefulRedisClusterConnection<String, V> open(RedisCodec<String, V> codec) {
    StatefulRedisClusterConnection<String, V> opened = connect(codec);
    try {
      opened.setReadFrom(settings.readFrom() == RedisSettings.ReadFrom.MASTER ? ReadFrom.UPSTREAM : ReadFrom.REPLICA_PREFERRED);
      connectToNodes(opened);
      return opened;
    } catch (RuntimeException e) {
      opened.close(); // the next attempt opens another
      throw e;
    }
  }

  /**
   * Opens the connections to the nodes that serve reads and writes before the first call needs
   * them. Lettuce opens a node's connection at the first command for it, and, as commands are
   * rejected while disconnected (so that no call waits for a reconnect), that command would fail.
   * A node that cannot be reached now is left to Lettuce.
   */
  private void connectToNodes(StatefulRedisClusterConnection<String, ?> opened) {
    List<CompletableFuture<?>> connecting = new ArrayList<>();
    for (RedisClusterNode node : opened.getPartitions()) {
      String host = node.getUri().getHost();
      int port = node.getUri().getPort();
      if (node.is(RedisClusterNode.NodeFlag.UPSTREAM)) {
        connecting.add(opened.getConnectionAsync(host, port, ConnectionIntent.WRITE));
      }
      if (settings.readFrom() != RedisSettings.ReadFrom.MASTER) {
        connecting.add(opened.getConnectionAsync(host, port, ConnectionIntent.READ));
      }
    }
    try {
      CompletableFuture.allOf(connecting.toArray(new CompletableFuture<?>[0]))
          .get(RedisConnection.FIRST_CONNECT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // a node down at start: its keys' calls run uncached until Lettuce reaches it
    }
  }
}
