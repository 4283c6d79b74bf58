package io.cacheagent.runtime;

import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/** Counters of one cached method; contention-free on the hot path. */
final class MethodStats {
  /** Hits read from Redis. A hit counts in one adder only: a near hit costs tens of nanoseconds, and an adder some of them. */
  final LongAdder redisHits = new LongAdder();
  /** Hits served from a copy in this JVM, without a round trip to Redis. */
  final LongAdder nearHits = new LongAdder();
  final LongAdder misses = new LongAdder();
  /** Misses served by another call's load of the same key (stampede protection). */
  final LongAdder coalesced = new LongAdder();
  final LongAdder uncached = new LongAdder();
  final LongAdder undecodable = new LongAdder();
  /** Entries naming a class outside the allow list: possibly planted, never instantiated. */
  final LongAdder refused = new LongAdder();
  final LongAdder unencodable = new LongAdder();
  /**
   * Calls not served because the caller would have got a managed entity: inside its transaction,
   * or with lazy parts not loaded while a persistence context is open.
   */
  final LongAdder managed = new LongAdder();
  /**
   * Calls made while the method was switched off, in element 0: the bootstrap bridge adds to it
   * without synchronization (see CacheBridge), so it is a lower bound under concurrent calls.
   */
  final long[] off = new long[1];
  /** Reloads of entries near their end that this JVM ran (refreshAhead), and those that threw. */
  final LongAdder refreshes = new LongAdder();
  final LongAdder refreshFailures = new LongAdder();
  /** How long the method ran on each miss, in nanoseconds (2 significant digits, resizes itself). */
  final Histogram loadNanos = new ConcurrentHistogram(2);

  /** Every hit, from Redis or from a copy; never fewer than {@code nearHitsRead}, the near hits read just before. */
  long hits(long nearHitsRead) {
    return redisHits.sum() + nearHitsRead;
  }
}
