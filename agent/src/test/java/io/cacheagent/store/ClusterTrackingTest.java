package io.cacheagent.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.cacheagent.config.RedisSettings;
import io.cacheagent.testkit.RedisCluster;
import io.cacheagent.testkit.RedisServer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a store on a real Redis Cluster (three masters, a replica each) tells its near caches:
 * every node's changes to the agent's keys, and copies served only while every node answers.
 */
class ClusterTrackingTest {

  private static final Duration COMMAND_TIMEOUT = Duration.ofMillis(200);

  private static RedisCluster cluster;
  private RedisStore store;
  private final StandInNearCaches near = new StandInNearCaches();
  private final BlockingQueue<String> changed = near.changed;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = RedisCluster.start(3, 1);
  }

  @AfterAll
  static void stopCluster() throws Exception {
    cluster.close();
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  @Test
  void aChangeToAnAgentKey_onEveryMaster_isToldOf_andNoOtherKey() throws Exception {
    openStore(RedisSettings.ReadFrom.MASTER);
    Epochs.await(store.invalidations(), e -> e >= 0);

    for (String tag : new String[] {"a", "b", "c", "d", "e", "f"}) { // spread over the three masters
      cluster.cli("SET", "not-the-agents:{" + tag + "}", "x"); // the same master, first: had it been told, it would come first
      cluster.cli("SET", "cache-agent:{" + tag + "}", "written elsewhere");
      awaitToldOf("cache-agent:{" + tag + "}");
    }
    assertThat(masterCount()).as("the tags above are spread over every master").isEqualTo(3);
  }

  @Test
  void aReplicaPromotedWhileItsMasterStaysUp_tellsOfItsWritesAtOnce() throws Exception {
    openStore(RedisSettings.ReadFrom.MASTER);
    Epochs.await(store.invalidations(), e -> e >= 0);
    RedisServer master = cluster.masters().get(0);
    RedisServer replica = cluster.replicaOf(master);

    replica.cli("CLUSTER", "FAILOVER"); // the old master stays up and answers, as a replica now
    cluster.awaitMaster(replica, Duration.ofSeconds(10));
    // The old master, as a replica, would tell of the new master's writes as it applies them: cut
    // it off, so that only the new master can tell (this asks new connections for a password).
    replica.cutOffReplica(master);
    try {
      String key = keyServedBy(replica);
      replica.cli("-a", "cut-off", "--no-auth-warning", "SET", key, "written on the new master");

      // Within a second, before the store reads the new topology (every 5 s): it tracked the replica already.
      awaitToldOf(key);
    } finally {
      replica.cli("-a", "cut-off", "--no-auth-warning", "CONFIG", "SET", "requirepass", "");
    }
  }

  @Test
  void aMasterThatStopsAnswering_stopsTheCopiesWithinAHeartbeatAndTheCommandTimeout() throws Exception {
    openStore(RedisSettings.ReadFrom.MASTER);
    long before = Epochs.await(store.invalidations(), e -> e >= 0);

    RedisServer paused = cluster.masters().get(1);
    paused.cli("CLIENT", "PAUSE", "1500", "ALL");
    Thread.sleep(KeyTracking.HEARTBEAT.toMillis() + COMMAND_TIMEOUT.toMillis() + 300);

    assertThat(store.invalidations().epoch(System.nanoTime())).as("one master may be telling of changes nobody hears").isEqualTo(-1);
    assertThat(Epochs.await(store.invalidations(), e -> e >= 0)).as("served again once it answers").isEqualTo(before);
  }

  @Test
  void aLostTrackingConnection_voidsEveryCopy() throws Exception {
    openStore(RedisSettings.ReadFrom.MASTER);
    long before = Epochs.await(store.invalidations(), e -> e >= 0);

    cluster.masters().get(2).cli("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes");

    assertThat(Epochs.await(store.invalidations(), e -> e >= 0 && e != before)).as("tracking on again, under another epoch").isNotEqualTo(before);
  }

  @Test
  void whenNoNearCacheIsLeft_everyNodeStopsTracking_untilANearCacheStartsItAgain() throws Exception {
    openStore(RedisSettings.ReadFrom.MASTER);
    Epochs.await(store.invalidations(), e -> e >= 0);
    assertThat(trackingClients()).as("one tracked connection to each node").isEqualTo(6);

    near.inUse.set(false);
    Epochs.await(store.invalidations(), e -> e == -1);
    for (int i = 0; i < 100 && trackingClients() > 0; i++) {
      Thread.sleep(20);
    }
    assertThat(trackingClients()).as("no node tracks keys for this JVM").isZero();

    near.inUse.set(true);
    store.invalidations().start(near);
    Epochs.await(store.invalidations(), e -> e >= 0);
    cluster.cli("SET", "cache-agent:{a}", "written elsewhere");
    awaitToldOf("cache-agent:{a}");
  }

  /** The clients with key tracking on, over every node. */
  private long trackingClients() throws Exception {
    long count = 0;
    for (RedisServer master : cluster.masters()) {
      count += StandInNearCaches.trackingClients(master) + StandInNearCaches.trackingClients(cluster.replicaOf(master));
    }
    return count;
  }

  @Test
  void readsFromReplicas_serveNoCopy() throws Exception {
    openStore(RedisSettings.ReadFrom.REPLICA_PREFERRED);
    Thread.sleep(1_000);

    assertThat(store.invalidations().epoch(System.nanoTime())).isEqualTo(-1);
  }

  private void openStore(RedisSettings.ReadFrom readFrom) {
    store = new RedisStore(new RedisSettings(cluster.seeds().get(0), COMMAND_TIMEOUT, null, cluster.seeds(), readFrom));
    store.invalidations().start(near);
  }

  /** Polls what the store was told until {@code key} comes; every key told of must be the agent's. */
  private void awaitToldOf(String key) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
    String told;
    do {
      told = changed.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      assertThat(told).as("told of " + key + " within a second").isNotNull();
      assertThat(told).as("only the agent's keys are told of").startsWith("cache-agent:");
    } while (!told.equals(key));
  }

  /** An agent key in a slot {@code node} serves (it answers without MOVED), which asks for the password "cut-off". */
  private static String keyServedBy(RedisServer node) throws Exception {
    for (int i = 0; ; i++) {
      String key = "cache-agent:{promoted-" + i + "}";
      if (node.cli("-a", "cut-off", "--no-auth-warning", "GET", key).isEmpty()) { // a MOVED would print the redirect
        return key;
      }
    }
  }

  private int masterCount() throws Exception {
    return (int) cluster.masters().stream().filter(master -> {
      try {
        return !master.cli("--scan", "--pattern", "cache-agent:*").isEmpty();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }).count();
  }
}
