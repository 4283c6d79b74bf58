package io.cacheagent.runtime;

import java.util.concurrent.atomic.LongAdder;

/** Counters of one cached method; contention-free on the hot path. */
final class MethodStats {
  final LongAdder hits = new LongAdder();
  final LongAdder misses = new LongAdder();
  final LongAdder uncached = new LongAdder();
  final LongAdder undecodable = new LongAdder();
  final LongAdder unencodable = new LongAdder();

  @Override
  public String toString() {
    return "hits=" + hits.sum() + " misses=" + misses.sum() + " uncached=" + uncached.sum()
        + " undecodable=" + undecodable.sum() + " unencodable=" + unencodable.sum();
  }
}
