package com.acme.keys;

/** One instance per region: the same arguments get a different answer from each. */
public class RegionalPrices {

  static int runs;
  /** Stands for the database: the price version of each region and id. */
  private static final java.util.Map<String, Integer> VERSIONS = new java.util.HashMap<>();

  private final String region;

  public RegionalPrices(String region) {
    this.region = region;
  }

  public String quote(long id) {
    runs++;
    return region + ":" + id + "@v" + VERSIONS.getOrDefault(region + id, 0);
  }

  public String headline(long id) {
    runs++;
    return "best price in " + region + " for " + id;
  }

  public void reprice(long id) {
    VERSIONS.merge(region + id, 1, Integer::sum);
  }
}
