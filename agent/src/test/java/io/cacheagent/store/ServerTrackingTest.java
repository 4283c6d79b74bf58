package io.cacheagent.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.cacheagent.config.RedisSettings;
import io.cacheagent.testkit.RedisServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What a store tells its near caches, over a real redis-server: changed keys, and when copies may be served. */
class ServerTrackingTest {

  private RedisServer server;
  private RedisStore store;
  private final StandInNearCaches near = new StandInNearCaches();
  private final BlockingQueue<String> changed = near.changed;

  @BeforeEach
  void start() throws Exception {
    server = RedisServer.start();
    store = new RedisStore(new RedisSettings(server.uri(), Duration.ofMillis(200)));
    store.invalidations().start(near);
  }

  @AfterEach
  void stop() throws Exception {
    store.close();
    server.close();
  }

  @Test
  void anotherClientsWrite_toAKeyThisStoreRead_isToldOf() throws Exception {
    long epoch = Epochs.await(store.invalidations(), e -> e >= 0);
    store.get("near-a");

    server.cli("SET", "near-a", "written elsewhere");

    assertThat(changed.poll(2, TimeUnit.SECONDS)).isEqualTo("near-a");
    assertThat(store.invalidations().epoch(System.nanoTime())).as("a change of one key leaves the others' copies valid").isEqualTo(epoch);
  }

  @Test
  void thisStoresOwnWrite_isToldOfBeforeItIsSent_andAgainOnceRedisRanIt() throws Exception {
    Epochs.await(store.invalidations(), e -> e >= 0);

    var sent = store.set("near-b", "tombstone".getBytes(StandardCharsets.UTF_8)).toCompletableFuture();
    assertThat(changed.poll()).as("before the SET was sent").isEqualTo("near-b");
    sent.get(2, TimeUnit.SECONDS);
    assertThat(changed).as("once Redis ran it").contains("near-b");
  }

  @Test
  void aDisconnect_voidsEveryCopy() throws Exception {
    long before = Epochs.await(store.invalidations(), e -> e >= 0);

    server.cli("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes");

    long after = Epochs.await(store.invalidations(), e -> e >= 0 && e != before);
    assertThat(after).as("reconnected, tracking on again, under another epoch").isNotEqualTo(before);
  }

  @Test
  void aRedisThatStopsAnswering_stopsTheCopiesWithinAHeartbeatAndTheCommandTimeout() throws Exception {
    Epochs.await(store.invalidations(), e -> e >= 0);

    server.cli("CLIENT", "PAUSE", "2000", "ALL");
    Thread.sleep(KeyTracking.HEARTBEAT.toMillis() + 200 + 300);

    assertThat(store.invalidations().epoch(System.nanoTime())).as("no copy served while Redis may be telling of changes nobody hears").isEqualTo(-1);
  }

  @Test
  void whenNoNearCacheIsLeft_trackingAndThePingsStop_untilANearCacheStartsThemAgain() throws Exception {
    Epochs.await(store.invalidations(), e -> e >= 0);
    assertThat(StandInNearCaches.trackingClients(server)).isEqualTo(1);

    near.inUse.set(false); // a reload took every nearCache off
    Epochs.await(store.invalidations(), e -> e == -1);
    awaitNoTrackingClient();
    long pings = StandInNearCaches.pings(server);
    Thread.sleep(3 * KeyTracking.HEARTBEAT.toMillis());
    assertThat(StandInNearCaches.pings(server)).as("no heartbeat").isEqualTo(pings);
    store.get("near-c");
    server.cli("SET", "near-c", "written elsewhere");
    assertThat(changed.poll(300, TimeUnit.MILLISECONDS)).as("redis tells of nothing").isNull();
    store.set("near-e", "tombstone".getBytes(StandardCharsets.UTF_8)).toCompletableFuture().get(2, TimeUnit.SECONDS);
    assertThat(changed.poll()).as("this JVM's own writes are still told of: a near cache made as tracking stopped hears them")
        .isEqualTo("near-e");

    near.inUse.set(true); // a near cache again
    store.invalidations().start(near);
    Epochs.await(store.invalidations(), e -> e >= 0);
    store.get("near-d");
    server.cli("SET", "near-d", "written elsewhere");
    String told;
    do {
      told = changed.poll(2, TimeUnit.SECONDS);
    } while ("near-e".equals(told)); // its write was told of twice: before it was sent and once Redis ran it
    assertThat(told).isEqualTo("near-d");
  }

  private void awaitNoTrackingClient() throws Exception {
    for (int i = 0; i < 100 && StandInNearCaches.trackingClients(server) > 0; i++) {
      Thread.sleep(20);
    }
    assertThat(StandInNearCaches.trackingClients(server)).as("redis tracks keys for nobody").isZero();
  }
}
