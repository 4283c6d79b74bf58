package io.cacheagent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** InFlightLoads on a clock the test moves: the waits it bounds are checked without waiting them out. */
class InFlightLoadsTest {

  private final AtomicLong now = new AtomicLong(1_000);
  private final InFlightLoads loads = new InFlightLoads(now::get);
  private static final byte[] SEEN = {1};
  private static final long GENERATION = 7;

  @Test
  void aCallerThatFoundWhatTheLeaderFound_joinsItsLoad_andGetsItsResult() throws Exception {
    InFlightLoads.Load leader = loads.join("k", "g", SEEN, GENERATION, GENERATION);
    InFlightLoads.Load joined = inAnotherThread(() -> loads.join("k", "g", SEEN, GENERATION, GENERATION));
    assertThat(joined).isSameAs(leader);

    loads.finish("k", leader, new byte[] {42});

    assertThat(loads.await(joined, TimeUnit.SECONDS.toNanos(1))).containsExactly(42);
  }

  @Test
  void aLeaderThatNeverFinished_isReplacedOnceMaxWaitHasPassed() throws Exception {
    InFlightLoads.Load stuck = loads.join("k", "g", SEEN, GENERATION, GENERATION);

    now.addAndGet(InFlightLoads.MAX_WAIT_NANOS - 1);
    assertThat(inAnotherThread(() -> loads.join("k", "g", SEEN, GENERATION, GENERATION))).as("still within the wait").isSameAs(stuck);

    now.addAndGet(2);
    InFlightLoads.Load next = inAnotherThread(() -> loads.join("k", "g", SEEN, GENERATION, GENERATION));
    assertThat(next).as("a load of its own").isNotSameAs(stuck);
  }

  @Test
  void aFollower_stopsWaitingOnceTheLeaderHasRunLongerThanTheWait_andRunsTheMethodItself() throws Exception {
    InFlightLoads.Load leader = loads.join("k", "g", SEEN, GENERATION, GENERATION);
    long wait = TimeUnit.SECONDS.toNanos(5);

    now.addAndGet(wait);

    long started = System.nanoTime();
    assertThat(loads.await(leader, wait)).as("no result: run the method").isNull();
    assertThat(System.nanoTime() - started).as("at once, not after another wait").isLessThan(TimeUnit.SECONDS.toNanos(1));
  }

  @Test
  void aCallerThatFoundOtherBytesOrAnotherGeneration_leadsALoadOfItsOwn() throws Exception {
    InFlightLoads.Load leader = loads.join("k", "g", SEEN, GENERATION, GENERATION);

    assertThat(inAnotherThread(() -> loads.join("k", "g", new byte[] {2}, GENERATION, GENERATION))).isNotSameAs(leader);
    InFlightLoads.Load afterADrop = inAnotherThread(() -> loads.join("k", "g", SEEN, GENERATION + 1, GENERATION + 1));
    assertThat(afterADrop).isNotSameAs(leader);
  }

  /** Joins from another thread: a thread that leads a load is never made to wait for itself. */
  private static InFlightLoads.Load inAnotherThread(java.util.function.Supplier<InFlightLoads.Load> join) throws Exception {
    return CompletableFuture.supplyAsync(join).get(5, TimeUnit.SECONDS);
  }
}
