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
  /** A load is stale only after the longest wait, as for a method that returns its value. */
  private static final long ANY_AGE = InFlightLoads.MAX_WAIT_NANOS;

  @Test
  void aCallerThatFoundWhatTheLeaderFound_joinsItsLoad_andGetsItsResult() throws Exception {
    InFlightLoads.Load leader = loads.join("k", "g", SEEN, GENERATION, GENERATION, ANY_AGE);
    InFlightLoads.Load joined = inAnotherThread(() -> loads.join("k", "g", SEEN, GENERATION, GENERATION, ANY_AGE));
    assertThat(joined).isSameAs(leader);

    loads.finish("k", leader, new byte[] {42});

    assertThat(loads.await(joined, TimeUnit.SECONDS.toNanos(1))).containsExactly(42);
  }

  @Test
  void aLeaderThatNeverFinished_isReplacedOnceMaxWaitHasPassed() throws Exception {
    InFlightLoads.Load stuck = loads.join("k", "g", SEEN, GENERATION, GENERATION, ANY_AGE);

    now.addAndGet(InFlightLoads.MAX_WAIT_NANOS - 1);
    assertThat(inAnotherThread(() -> loads.join("k", "g", SEEN, GENERATION, GENERATION, ANY_AGE))).as("still within the wait").isSameAs(stuck);

    now.addAndGet(2);
    InFlightLoads.Load next = inAnotherThread(() -> loads.join("k", "g", SEEN, GENERATION, GENERATION, ANY_AGE));
    assertThat(next).as("a load of its own").isNotSameAs(stuck);
  }

  @Test
  void aFollower_stopsWaitingOnceTheLeaderHasRunLongerThanTheWait_andRunsTheMethodItself() throws Exception {
    InFlightLoads.Load leader = loads.join("k", "g", SEEN, GENERATION, GENERATION, ANY_AGE);
    long wait = TimeUnit.SECONDS.toNanos(5);

    now.addAndGet(wait);

    long started = System.nanoTime();
    assertThat(loads.await(leader, wait)).as("no result: run the method").isNull();
    assertThat(System.nanoTime() - started).as("at once, not after another wait").isLessThan(TimeUnit.SECONDS.toNanos(1));
  }

  @Test
  void aLoadOlderThanTheCallersBound_isReplaced_asAFutureLoadIsOnceItsFollowersStoppedWaiting() throws Exception {
    InFlightLoads.Load stuck = loads.join("k", "g", SEEN, GENERATION, GENERATION, ANY_AGE);
    long bound = TimeUnit.MILLISECONDS.toNanos(50);

    now.addAndGet(bound + 1);

    assertThat(inAnotherThread(() -> loads.join("k", "g", SEEN, GENERATION, GENERATION, bound))).isNotSameAs(stuck);
  }

  @Test
  void whenDone_givesTheResultWithoutWaiting_orNothingOnceTheWaitIsOver() throws Exception {
    InFlightLoads.Load leader = loads.join("k", "g", SEEN, GENERATION, GENERATION, ANY_AGE);
    CompletableFuture<byte[]> result = loads.whenDone(leader, TimeUnit.SECONDS.toNanos(5));
    assertThat(result).isNotDone();

    loads.finish("k", leader, new byte[] {42});

    assertThat(result.getNow(null)).containsExactly(42);
    now.addAndGet(TimeUnit.SECONDS.toNanos(5));
    assertThat(loads.whenDone(leader, TimeUnit.SECONDS.toNanos(5))).as("the wait is over").isNull();
  }

  @Test
  void whenDone_completesWithNothing_whenTheLeaderDoesNotFinishWithinTheWait() throws Exception {
    InFlightLoads.Load stuck = loads.join("k", "g", SEEN, GENERATION, GENERATION, ANY_AGE);

    assertThat(loads.whenDone(stuck, TimeUnit.MILLISECONDS.toNanos(50)).get(5, TimeUnit.SECONDS)).isNull();
  }

  @Test
  void aCallerThatFoundOtherBytesOrAnotherGeneration_leadsALoadOfItsOwn() throws Exception {
    InFlightLoads.Load leader = loads.join("k", "g", SEEN, GENERATION, GENERATION, ANY_AGE);

    assertThat(inAnotherThread(() -> loads.join("k", "g", new byte[] {2}, GENERATION, GENERATION, ANY_AGE))).isNotSameAs(leader);
    InFlightLoads.Load afterADrop = inAnotherThread(() -> loads.join("k", "g", SEEN, GENERATION + 1, GENERATION + 1, ANY_AGE));
    assertThat(afterADrop).isNotSameAs(leader);
  }

  /** Joins from another thread: a thread that leads a load is never made to wait for itself. */
  private static InFlightLoads.Load inAnotherThread(java.util.function.Supplier<InFlightLoads.Load> join) throws Exception {
    return CompletableFuture.supplyAsync(join).get(5, TimeUnit.SECONDS);
  }
}
