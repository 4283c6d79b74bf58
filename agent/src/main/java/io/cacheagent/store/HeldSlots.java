package io.cacheagent.store;

import io.cacheagent.jdk.Futures;
import io.cacheagent.logging.AgentLog;
import io.cacheagent.threads.AgentThreads;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;

/*
 * The hash slots of a Redis Cluster whose reads answer "unavailable" now (the call runs uncached),
 * for one of two reasons.
 *
 * A lost master: its slots' reads would fail, and three failures in a row open the circuit
 * breaker, which would stop the reads of the healthy masters too. So they are not sent, until
 * the master is reached again or another node takes its slots over.
 *
 * A new master: after a failover the replica that took a master's slots over may lack writes the
 * master had confirmed (replication is asynchronous), tombstones and new generations among them.
 * And until every JVM has read the new topology, some still send their evictions to the old
 * master, where they are missed; each such JVM drops the method's entries once it reaches the new
 * master (see runtime.MissedEvictions), but another JVM that already reads the new master would
 * serve them meanwhile. So the slots are held for a wait (ClusterClient.NEW_MASTER_WAIT) long
 * enough for every JVM to read the topology and send its drops, and then until this JVM's own drop of every generation copy in
 * those slots is confirmed: no entry written before the change is served after it. A slot moved by
 * resharding is held the same way, though no write was lost: telling a failover from a migration
 * by the topology alone is not safe, and the cost is a cold cache for those slots.
 */
final class HeldSlots {

  /** How often a drop that failed, or that had no one to send it yet, is tried again. */
  private static final long RETRY_MILLIS = 1_000;

  private final Duration newMasterWait;
  /** Sends the drops once the slots settled. Its one thread starts at the first change. */
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(task -> AgentThreads.daemon("held-slots", task));
  /** The node id of each slot's master in the last topology; {@code null} before the first. Guarded by this. */
  private String[] masters;
  /** The node id of each master, by its address as {@code host:port}. Guarded by this. */
  private final Map<String, String> masterAt = new HashMap<>();
  /** The slots of each master this JVM lost, by node id. Guarded by this. */
  private final Map<String, BitSet> lost = new HashMap<>();
  /** The slots of each change of master not yet settled and dropped. Guarded by this. */
  private final List<BitSet> unsettled = new ArrayList<>();
  /** Every slot held, never changed once published; {@code null} when none (the read path's one check). */
  private volatile BitSet held;
  /** How many times masters changed: a read sent across a change may have been routed by the new topology. */
  private volatile long changes;
  /** What drops the entries of the keys it is given a test for; set by the runtime. */
  private volatile Function<Predicate<String>, CompletableFuture<?>> dropEntries;

  HeldSlots(Duration newMasterWait) {
    this.newMasterWait = newMasterWait;
  }

  /** Whether reads of {@code key} must not go to Redis now. */
  boolean holds(String key) {
    BitSet slots = held;
    return slots != null && slots.get(SlotHash.getSlot(key));
  }

  /** A count that grows whenever slots change master; see {@link #holds}. */
  long masterChanges() {
    return changes;
  }

  /**
   * Sets what drops the entries of slots that changed master: it gets a test for the keys affected
   * and returns its drops, which must all be confirmed before those slots are read again.
   */
  void dropEntriesWith(Function<Predicate<String>, CompletableFuture<?>> action) {
    dropEntries = action;
  }

  /**
   * A topology Lettuce is about to route by: the slots whose master differs from the last one's
   * are held before any command is routed to their new master.
   */
  synchronized void topology(Iterable<RedisClusterNode> nodes) {
    String[] next = new String[SlotHash.SLOT_COUNT];
    masterAt.clear();
    for (RedisClusterNode node : nodes) {
      if (node.is(RedisClusterNode.NodeFlag.UPSTREAM)) {
        node.forEachSlot(slot -> next[slot] = node.getNodeId());
        masterAt.put(node.getUri().getHost() + ":" + node.getUri().getPort(), node.getNodeId());
      }
    }
    BitSet changed = new BitSet(SlotHash.SLOT_COUNT);
    for (int slot = 0; slot < next.length; slot++) {
      String before = masters == null ? null : masters[slot];
      if (next[slot] == null) {
        next[slot] = before; // no master in this view: the last known one stays the reference
      } else if (before != null && !before.equals(next[slot])) {
        changed.set(slot);
      }
    }
    masters = next;
    if (changed.isEmpty()) {
      return;
    }
    lost.values().forEach(slots -> slots.andNot(changed)); // now held until settled
    lost.entrySet().removeIf(node -> {
      if (!node.getValue().isEmpty()) {
        return false;
      }
      AgentLog.resolved("node-lost:" + node.getKey()); // taken over
      return true;
    });
    unsettled.add(changed);
    publish();
    changes++;
    AgentLog.info("redis cluster: " + changed.cardinality() + " hash slots have a new master (a failover or resharding);"
        + " their entries are not read for " + newMasterWait.getSeconds() + " s, until every JVM knows it, and are then dropped");
    timer.schedule(() -> drop(changed), newMasterWait.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Lettuce tries to reconnect to {@code node}: if it is a master, its slots are held until it is back. */
  synchronized void nodeLost(SocketAddress node) {
    String nodeId = masterAt.get(hostAndPort(node));
    if (nodeId == null || masters == null || lost.containsKey(nodeId)) { // unknown, or not a master
      return;
    }
    BitSet slots = new BitSet(SlotHash.SLOT_COUNT);
    for (int slot = 0; slot < masters.length; slot++) {
      if (nodeId.equals(masters[slot])) {
        slots.set(slot);
      }
    }
    if (slots.isEmpty()) {
      return; // a failed master whose slots were taken over
    }
    lost.put(nodeId, slots);
    publish();
    AgentLog.warn("node-lost:" + nodeId, "redis cluster: lost the connection to the master at " + hostAndPort(node) + " ("
        + slots.cardinality() + " hash slots); their calls run uncached until it is back or a replica takes over");
  }

  /** A connection to {@code node} opened: if it is a lost master, its slots are read again. */
  synchronized void nodeBack(SocketAddress node) {
    String nodeId = masterAt.get(hostAndPort(node));
    if (nodeId != null && lost.remove(nodeId) != null) {
      publish();
      AgentLog.resolved("node-lost:" + nodeId);
      AgentLog.info("redis cluster: the master at " + hostAndPort(node) + " answers again");
    }
  }

  private void drop(BitSet changed) {
    Function<Predicate<String>, CompletableFuture<?>> action = dropEntries;
    CompletableFuture<?> drops;
    try {
      drops = action == null ? null : action.apply(key -> changed.get(SlotHash.getSlot(key)));
    } catch (RuntimeException e) {
      drops = Futures.failed(e);
    }
    if (drops == null) {
      timer.schedule(() -> drop(changed), RETRY_MILLIS, TimeUnit.MILLISECONDS);
      return;
    }
    drops.whenComplete((ok, failure) -> {
      if (failure == null) {
        settled(changed);
      } else {
        AgentLog.warn("moved-slots", "could not drop the entries of hash slots with a new master (" + RedisStore.rootMessage(failure)
            + "); they stay unread, retrying every second");
        timer.schedule(() -> drop(changed), RETRY_MILLIS, TimeUnit.MILLISECONDS);
      }
    });
  }

  private synchronized void settled(BitSet changed) {
    unsettled.remove(changed);
    publish();
    AgentLog.resolved("moved-slots");
    AgentLog.info("redis cluster: dropped the entries of " + changed.cardinality() + " hash slots with a new master; they are cached again");
  }

  private void publish() {
    if (lost.isEmpty() && unsettled.isEmpty()) {
      held = null;
      return;
    }
    BitSet all = new BitSet(SlotHash.SLOT_COUNT);
    lost.values().forEach(all::or);
    unsettled.forEach(all::or);
    held = all;
  }

  private static String hostAndPort(SocketAddress address) {
    if (address instanceof InetSocketAddress) {
      InetSocketAddress inet = (InetSocketAddress) address;
      return inet.getHostString() + ":" + inet.getPort();
    }
    return String.valueOf(address);
  }

  void close() {
    timer.shutdownNow();
  }
}
