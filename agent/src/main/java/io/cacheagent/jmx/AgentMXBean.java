package io.cacheagent.jmx;

/** The agent in JMX ({@code io.cacheagent:type=Agent}): its store, its configuration, and a reload. */
public interface AgentMXBean {

  /** Where entries live, e.g. {@code redis redis://cache:6379/0 (command timeout 50ms)}. */
  String getStore();

  /** {@code connecting} (before the first connection), {@code connected}, {@code not connected}, {@code circuit open} (Redis failed, probed once a second) or {@code in-process}. */
  String getStoreState();

  /** Where the Prometheus endpoint answers ({@code http://127.0.0.1:9404/metrics}), or {@code none}. */
  String getMetricsUrl();

  /** The configuration file the agent watches. */
  String getConfigFile();

  /** How many versions of the file have been applied, the one at start included. */
  int getConfigVersion();

  /** What the last applied change did, one line per method, or what was wrong with a refused one. */
  String getLastReload();

  /** Reads the configuration file now instead of within the next second. */
  void reload();

  /**
   * Drops every entry of every cached method of the configuration in force, in every JVM sharing
   * the Redis (a new generation for each), including methods whose classes this JVM has not loaded.
   * For a JVM given the agent late: its earlier writes were never evicted. Returns how many methods;
   * fails when Redis does not confirm within 5 s.
   */
  int dropAllEntries();
}
