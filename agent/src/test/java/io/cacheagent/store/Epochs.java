package io.cacheagent.store;

import java.util.function.LongPredicate;

/** Waits, in tests, until a store's near-cache epoch (see KeyTracking) is what a test wants. */
final class Epochs {

  private Epochs() {}

  /** The epoch, once {@code wanted} holds for it; fails after 5 s. */
  static long await(Invalidations invalidations, LongPredicate wanted) throws InterruptedException {
    for (int i = 0; i < 250; i++) {
      long epoch = invalidations.epoch(System.nanoTime());
      if (wanted.test(epoch)) {
        return epoch;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("the epoch never became what was wanted; it is " + invalidations.epoch(System.nanoTime()));
  }
}
