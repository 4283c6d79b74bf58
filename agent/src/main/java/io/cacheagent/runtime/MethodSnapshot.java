package io.cacheagent.runtime;

import java.util.List;
import lombok.Value;

/**
 * One cached method's counters, read at one moment: what JMX, Prometheus, the {@code stats}
 * command, the periodic log line and the exit report all show, so that their numbers agree.
 *
 * <p>A call of the method is exactly one of: a hit, a miss (the method ran and its result was
 * offered to the store), coalesced (served by a concurrent call's load of the same key), uncached
 * (the method ran without the cache: store down, key not computable, loading thread), managed (not
 * served: the caller would have got a managed JPA entity) or off (the method was switched off, in
 * the file, over JMX, or because an eviction of it can never evict; a lower bound, see
 * CacheBridge). Calls made while the agent starts, before it knows the method, are not counted.
 */
@Value
public class MethodSnapshot {

  String method;
  boolean enabled;
  long hits;
  /** The hits served from a copy in this JVM (a nearCache), without a round trip to Redis; a part of {@code hits}. */
  long nearHits;
  long misses;
  long coalesced;
  long uncached;
  long managed;
  long off;
  long undecodable;
  long refused;
  long unencodable;
  long evictions;
  long evictionKeyFailures;
  long loads;
  double loadSecondsSum;
  /** How long a load took at the 50th, 90th and 99th percentile, in seconds. */
  LoadQuantiles loadSeconds;
  /**
   * Reloads of entries near their end that this JVM ran in the background (refreshAhead; not calls),
   * of which {@code refreshFailures} threw.
   */
  long refreshes;
  long refreshFailures;

  /** Load times in seconds at the 50th, 90th and 99th percentile; 0 before the first load. */
  @Value
  public static class LoadQuantiles {
    double p50;
    double p90;
    double p99;
  }

  /** Every call: hits, misses, coalesced, uncached, managed and off. */
  public long calls() {
    return hits + misses + coalesced + uncached + managed + off;
  }

  /** Calls the cache answered without running the method: hits, and misses served by a concurrent call's load. */
  public long served() {
    return hits + coalesced;
  }

  /** The share of calls the cache answered, {@link #served} over {@link #calls}; 0 before the first call. */
  public double hitRatio() {
    return ratio(served(), calls());
  }

  /**
   * What went wrong with this method's entries: entries undecodable, refused and unencodable, and
   * evictions that could not compute their key.
   */
  public long errors() {
    return undecodable + refused + unencodable + evictionKeyFailures;
  }

  /** The hit ratio over several methods: their served calls over all their calls. */
  public static double hitRatio(List<MethodSnapshot> methods) {
    long served = 0;
    long calls = 0;
    for (MethodSnapshot m : methods) {
      served += m.served();
      calls += m.calls();
    }
    return ratio(served, calls);
  }

  private static double ratio(long served, long calls) {
    return calls == 0 ? 0 : (double) served / calls;
  }

  /** The counters as the exit report prints them. */
  @Override
  public String toString() {
    return "hits=" + hits + " nearHits=" + nearHits + " misses=" + misses + " coalesced=" + coalesced + " uncached=" + uncached
        + " undecodable=" + undecodable + " refused=" + refused + " unencodable=" + unencodable + " managed=" + managed + " off=" + off
        + (refreshes == 0 ? "" : " refreshes=" + refreshes + " refreshFailures=" + refreshFailures);
  }
}
