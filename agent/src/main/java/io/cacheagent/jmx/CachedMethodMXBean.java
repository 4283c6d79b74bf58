package io.cacheagent.jmx;

/**
 * One cached method in JMX ({@code io.cacheagent:type=CachedMethod,name="com.acme.Repo#find(long)"}):
 * what the cache did for it since the JVM started, its switch, and an operation to drop its entries.
 */
public interface CachedMethodMXBean {

  /** The concrete method, e.g. {@code com.acme.Repo#find(long)}. */
  String getMethod();

  long getHits();

  /** The hits served from a copy in this JVM (its nearCache), without a round trip to Redis; a part of {@link #getHits}. */
  long getNearHits();

  long getMisses();

  /** The share of calls the cache answered: (hits + coalesced) / every call; 0 before the first call. */
  double getHitRatio();

  /** Misses answered by a concurrent call's load of the same key. */
  long getCoalesced();

  /** Calls that ran without the cache: Redis did not answer, an eviction was missed, an argument had no stable value. */
  long getUncached();

  /**
   * Calls not served because the caller would have got a managed JPA entity: inside the caller's
   * transaction, or with lazy parts not loaded under open-in-view. The method ran for them.
   */
  long getManaged();

  /** Calls made while the method was switched off (in the file, over JMX, or for an eviction key that can never evict). */
  long getSwitchedOff();

  /** Evictions that write methods ran on its entries, by key or all. */
  long getEvictions();

  /**
   * Evictions whose key could not be computed from the write's arguments; each dropped every entry
   * of the method instead.
   */
  long getEvictionKeyFailures();

  /**
   * What went wrong: entries that could not be used or stored (undecodable, refused by the allow
   * list, unencodable), and eviction key failures.
   */
  long getErrors();

  /** Entries near their end that this JVM reloaded in the background (refreshAhead). */
  long getRefreshes();

  /** Of those reloads, the ones that threw: their entries were served until they expired. */
  long getRefreshFailures();

  /** Median time the method ran on a miss, in milliseconds, since the JVM started. */
  double getLoadMillisP50();

  double getLoadMillisP90();

  double getLoadMillisP99();

  boolean isEnabled();

  /** Switches the method on or off, until the configuration file next changes. */
  void setEnabled(boolean enabled);

  /** Drops every entry of the method, in every JVM that shares the Redis. */
  void dropAllEntries();
}
