package io.cacheagent.demo;

import java.util.Arrays;

/**
 * What one mode of the demo measured.
 *
 * @param mode "no-agent", "agent" or "near-cache"
 * @param readLatenciesNanos latency of every read request of the measured phase, sorted
 * @param requests requests of the measured phase, reads and writes
 * @param seconds length of the measured phase
 * @param dbReadQueries read statements the service ran during the measured phase
 * @param dbWriteQueries write statements the service ran during the measured phase
 * @param reads read requests of the measured phase
 * @param staleReads reads right after a write that did not see the written price
 * @param store what the agent used, or "none"
 * @param nearHits hits served from copies in the service's JVM (nearCache), as the agent's exit report counts them
 */
record RunResult(String mode, long[] readLatenciesNanos, long requests, double seconds, long dbReadQueries,
    long dbWriteQueries, long reads, long staleReads, String store, long nearHits) {

  RunResult {
    readLatenciesNanos = readLatenciesNanos.clone();
    Arrays.sort(readLatenciesNanos);
  }

  /** The same, with the near hits the agent counted over the service's whole life. */
  RunResult withNearHits(long hits) {
    return new RunResult(mode, readLatenciesNanos, requests, seconds, dbReadQueries, dbWriteQueries, reads, staleReads, store, hits);
  }

  double percentileMillis(double p) {
    return percentileMillis(readLatenciesNanos, p);
  }

  /** The {@code p}th percentile (nearest rank) of sorted latencies in nanoseconds, in milliseconds; 0 when empty. */
  static double percentileMillis(long[] sortedNanos, double p) {
    if (sortedNanos.length == 0) {
      return 0;
    }
    int index = (int) Math.min(sortedNanos.length - 1, Math.ceil(p / 100 * sortedNanos.length) - 1);
    return sortedNanos[Math.max(0, index)] / 1e6;
  }

  double throughputPerSecond() {
    return requests / seconds;
  }

  long dbQueries() {
    return dbReadQueries + dbWriteQueries;
  }

  /** Database statements per request: the load on the database, whatever the throughput. */
  double dbQueriesPerRequest() {
    return requests == 0 ? 0 : (double) dbQueries() / requests;
  }

  /** Share of reads answered without a database statement (the service's own counters). */
  double hitRatio() {
    return reads == 0 ? 0 : Math.max(0, 1 - (double) dbReadQueries / reads);
  }
}
