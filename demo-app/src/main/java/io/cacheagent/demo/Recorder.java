package io.cacheagent.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** What the clients saw during one measured phase: every read's latency and when it ended, and failed requests. */
final class Recorder {

  private static final int CHUNK = 4096;

  final AtomicLong requests = new AtomicLong();
  final AtomicLong reads = new AtomicLong();
  final AtomicLong staleReads = new AtomicLong();
  final AtomicLong failures = new AtomicLong();
  private final long startNanos = System.nanoTime();
  private final List<long[]> chunks = new ArrayList<>();
  private long[] current = new long[CHUNK];
  private int size;

  /** A read that took {@code nanos} and has just ended. */
  synchronized void record(long nanos) {
    requests.incrementAndGet();
    reads.incrementAndGet();
    if (size == current.length) {
      chunks.add(current);
      current = new long[CHUNK];
      size = 0;
    }
    current[size++] = nanos;
    current[size++] = System.nanoTime() - startNanos;
  }

  synchronized long[] latencies() {
    return column(0);
  }

  /** When each read ended, in nanoseconds since the phase began; same order as {@link #latencies()}. */
  synchronized long[] endTimes() {
    return column(1);
  }

  private long[] column(int offset) {
    long[] values = new long[(chunks.size() * CHUNK + size) / 2];
    int at = 0;
    for (long[] chunk : chunks) {
      for (int i = offset; i < chunk.length; i += 2) {
        values[at++] = chunk[i];
      }
    }
    for (int i = offset; i < size; i += 2) {
      values[at++] = current[i];
    }
    return values;
  }
}
