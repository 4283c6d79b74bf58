package io.cacheagent.demo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A measured phase second by second: reads, their latency, and how many of them the database
 * answered, so that an outage and the recovery after it can be seen.
 *
 * @param seconds one row per second of the phase, from second 1
 * @param requests requests made, reads and writes
 * @param failures requests that failed (an error status or no answer)
 * @param staleReads reads right after a write that did not see it
 */
record Timeline(List<Second> seconds, long requests, long failures, long staleReads, long[] latencies, long[] endTimes) {

  /**
   * One second of the phase.
   *
   * @param second 1 for the phase's first second
   * @param reads read requests that ended in it
   * @param p99Millis their 99th percentile latency
   * @param dbReads read statements the service ran in it
   */
  record Second(int second, long reads, double p50Millis, double p99Millis, long dbReads) {

    /** Share of reads answered without a database statement. */
    double hitRatio() {
      return reads == 0 ? 0 : Math.max(0, 1 - (double) dbReads / reads);
    }
  }

  /** {@code queries}: the service's {reads, writes} statement counters at the start and after each second. */
  static Timeline of(Recorder recorder, List<long[]> queries) {
    long[] latencies = recorder.latencies();
    long[] endTimes = recorder.endTimes();
    List<Second> seconds = new ArrayList<>();
    for (int s = 1; s < queries.size(); s++) {
      long[] inSecond = between(latencies, endTimes, s - 1, s);
      seconds.add(new Second(s, inSecond.length, RunResult.percentileMillis(inSecond, 50), RunResult.percentileMillis(inSecond, 99),
          queries.get(s)[0] - queries.get(s - 1)[0]));
    }
    return new Timeline(List.copyOf(seconds), recorder.requests.get(), recorder.failures.get(), recorder.staleReads.get(), latencies, endTimes);
  }

  /** The {@code p}th percentile latency of reads that ended after second {@code from} and by second {@code to}. */
  double percentileMillis(int from, int to, double p) {
    return RunResult.percentileMillis(between(latencies, endTimes, from, to), p);
  }

  /** Largest latency of reads that ended after second {@code from} and by second {@code to}. */
  double maxMillis(int from, int to) {
    return RunResult.percentileMillis(between(latencies, endTimes, from, to), 100);
  }

  /** Share of reads in seconds {@code from + 1} to {@code to} answered without a database statement. */
  double hitRatio(int from, int to) {
    long reads = 0;
    long dbReads = 0;
    for (Second second : seconds.subList(Math.min(from, seconds.size()), Math.min(to, seconds.size()))) {
      reads += second.reads();
      dbReads += second.dbReads();
    }
    return reads == 0 ? 0 : Math.max(0, 1 - (double) dbReads / reads);
  }

  private static long[] between(long[] latencies, long[] endTimes, int fromSecond, int toSecond) {
    long from = fromSecond * 1_000_000_000L;
    long to = toSecond * 1_000_000_000L;
    long[] selected = new long[latencies.length];
    int n = 0;
    for (int i = 0; i < latencies.length; i++) {
      if (endTimes[i] > from && endTimes[i] <= to) {
        selected[n++] = latencies[i];
      }
    }
    long[] result = Arrays.copyOf(selected, n);
    Arrays.sort(result);
    return result;
  }
}
