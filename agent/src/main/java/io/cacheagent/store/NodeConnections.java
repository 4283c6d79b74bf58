package io.cacheagent.store;

import java.net.SocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which nodes of a Redis Cluster this JVM has lost and reached again, told from Lettuce's
 * connection events.
 *
 * <p>Lettuce opens several connections to one node: the one commands go through, and short-lived
 * ones to read the topology (at the first connect, every {@link ClusterClient#TOPOLOGY_REFRESH},
 * and when a node redirects or fails), which it closes itself. Only a connection that dropped
 * against Lettuce's will is reconnected. So a node counts as lost at a reconnect attempt to it, and
 * as back when a connection to it opens after that: the topology connections, coming and going,
 * are neither.
 */
final class NodeConnections {

  private final Set<SocketAddress> lost = ConcurrentHashMap.newKeySet();

  /** Lettuce tries to reconnect to {@code node}: its connection dropped. */
  void reconnecting(SocketAddress node) {
    if (node != null) {
      lost.add(node);
    }
  }

  /** A connection to {@code node} opened; whether the node was lost before, and so is back. */
  boolean opened(SocketAddress node) {
    return node != null && lost.remove(node);
  }
}
