package io.cacheagent.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HeldSlotsTest {

  private static final String LOW = keyInSlots(0, 8191);
  private static final String HIGH = keyInSlots(8192, 16383);

  private final HeldSlots held = new HeldSlots(Duration.ofMillis(100));

  @AfterEach
  void close() {
    held.close();
  }

  @Test
  void theFirstTopology_holdsNothing() {
    held.topology(List.of(master("a", 7000, 0, 8191), master("b", 7001, 8192, 16383)));

    assertThat(held.holds(LOW)).isFalse();
    assertThat(held.holds(HIGH)).isFalse();
    assertThat(held.masterChanges()).isZero();
  }

  @Test
  void aLostMaster_holdsItsSlotsOnly_untilItIsBack() {
    held.topology(List.of(master("a", 7000, 0, 8191), master("b", 7001, 8192, 16383)));

    held.nodeLost(new InetSocketAddress("127.0.0.1", 7000));
    assertThat(held.holds(LOW)).isTrue();
    assertThat(held.holds(HIGH)).isFalse();

    held.nodeBack(new InetSocketAddress("127.0.0.1", 7000));
    assertThat(held.holds(LOW)).isFalse();
  }

  @Test
  void aNewMaster_holdsItsSlotsUntilTheirEntriesAreDropped() throws Exception {
    AtomicReference<Predicate<String>> dropped = new AtomicReference<>();
    CompletableFuture<Void> drop = new CompletableFuture<>();
    held.dropEntriesWith(affected -> {
      dropped.set(affected);
      return drop;
    });
    held.topology(List.of(master("a", 7000, 0, 8191), master("b", 7001, 8192, 16383)));
    held.nodeLost(new InetSocketAddress("127.0.0.1", 7000));

    held.topology(List.of(master("c", 7002, 0, 8191), master("b", 7001, 8192, 16383)));
    assertThat(held.masterChanges()).isOne();
    assertThat(held.holds(LOW)).isTrue();
    held.nodeBack(new InetSocketAddress("127.0.0.1", 7000)); // back, but no longer their master
    assertThat(held.holds(LOW)).as("held until settled and dropped, not until the old master is back").isTrue();

    Thread.sleep(400);
    assertThat(dropped.get()).as("the drop, sent after the settle").isNotNull();
    assertThat(dropped.get().test(LOW)).isTrue();
    assertThat(dropped.get().test(HIGH)).isFalse();
    assertThat(held.holds(LOW)).as("until the drop is confirmed").isTrue();

    drop.complete(null);
    assertThat(held.holds(LOW)).isFalse();
    assertThat(held.holds(HIGH)).isFalse();
  }

  @Test
  void aDropThatFails_isSentAgain_andTheSlotsStayHeld() throws Exception {
    AtomicInteger sent = new AtomicInteger();
    held.dropEntriesWith(affected -> sent.incrementAndGet() == 1
        ? CompletableFuture.failedFuture(new IllegalStateException("not connected"))
        : CompletableFuture.completedFuture(null));
    held.topology(List.of(master("a", 7000, 0, 16383)));
    held.topology(List.of(master("c", 7002, 0, 16383)));

    Thread.sleep(400);
    assertThat(sent.get()).isOne();
    assertThat(held.holds(HIGH)).isTrue();
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (held.holds(HIGH) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(sent.get()).isEqualTo(2);
    assertThat(held.holds(HIGH)).isFalse();
  }

  @Test
  void aViewWithoutAMasterForASlot_isNoChange() {
    held.topology(List.of(master("a", 7000, 0, 8191), master("b", 7001, 8192, 16383)));
    held.topology(List.of(master("b", 7001, 8192, 16383)));
    held.topology(List.of(master("a", 7000, 0, 8191), master("b", 7001, 8192, 16383)));

    assertThat(held.masterChanges()).isZero();
    assertThat(held.holds(LOW)).isFalse();
  }

  private static RedisClusterNode master(String id, int port, int firstSlot, int lastSlot) {
    List<Integer> slots = IntStream.rangeClosed(firstSlot, lastSlot).boxed().toList();
    return new RedisClusterNode(RedisURI.create("redis://127.0.0.1:" + port), id, true, null, 0, 0, 1, slots,
        Set.of(RedisClusterNode.NodeFlag.UPSTREAM));
  }

  private static String keyInSlots(int first, int last) {
    for (int i = 0; ; i++) {
      int slot = SlotHash.getSlot("key" + i);
      if (slot >= first && slot <= last) {
        return "key" + i;
      }
    }
  }
}
