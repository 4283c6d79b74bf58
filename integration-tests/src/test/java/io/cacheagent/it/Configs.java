package io.cacheagent.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes agent configurations for tests into a temporary directory. */
final class Configs {

  private Configs() {}

  /** The fixture shop's configuration: findById with evictions, search, price, ids, failing. */
  static String shop(String redisUri, String keyPrefix) {
    return shop(redisUri, keyPrefix, "500ms");
  }

  /** The fixture shop's configuration with another {@code redis.commandTimeout}. */
  static String shop(String redisUri, String keyPrefix, String commandTimeout) {
    String redis = redisUri == null ? "" : """
        redis:
          uri: %s
          commandTimeout: %s
          keyPrefix: %s
        """.formatted(redisUri, commandTimeout, keyPrefix);
    return redis + """
        methods:
          - method: com.acme.shop.ProductRepository#findById(long)
            ttl: 10m
            evictOn:
              - method: com.acme.shop.ProductRepository#save(com.acme.shop.Product)
                key: args[0].id
              - method: com.acme.shop.ProductRepository#saveBroken(com.acme.shop.Product)
                key: args[0].id
              - method: com.acme.shop.ProductRepository#deleteAll()
                all: true
          - method: com.acme.shop.ProductRepository#search(String, int)
            ttl: 1s
          - method: com.acme.shop.ProductRepository#failing(long)
          - method: com.acme.shop.ProductRepository#priceOf(int)
          - method: com.acme.shop.ProductRepository#ids()
          - method: com.acme.shop.ProductRepository#slowFind(long)
            stampedeLock: true
        """;
  }

  /** The fixture shop's configuration with a near cache for findById. */
  static String shopWithNearCache(String redisUri, String keyPrefix) {
    return withNearCache(shop(redisUri, keyPrefix));
  }

  /** {@code shop}, one of the fixture shop's configurations, with a nearCache on findById. */
  static String withNearCache(String shop) {
    String findById = "  - method: com.acme.shop.ProductRepository#findById(long)\n    ttl: 10m\n";
    return shop.replace(findById, findById + "    nearCache: {maxEntries: 1000, ttl: 1m}\n");
  }

  /** The fixture shop's configuration on a Redis Cluster, found from {@code seeds}. */
  static String shopOnCluster(List<String> seeds, String keyPrefix) {
    String oneServer = shop("redis://unused:6379", keyPrefix);
    return oneServer.replace("  uri: redis://unused:6379\n", "  cluster: [" + String.join(", ", seeds) + "]\n");
  }

  /** The error {@link #withUnknownKey} makes the agent report. */
  static final String UNKNOWN_KEY_ERROR = "bad.yaml:3:5: unknown key \"unknown\" in methods[0]; allowed: method, ttl,"
      + " ttlJitter, key, batch, cacheNulls, nullTtl, stampedeLock, nearCache, refreshAhead, enabled, evictOn";

  /** {@code bad.yaml} in {@code dir}: the shop's findById with a misspelt key, one config error. */
  static Path withUnknownKey(Path dir) throws IOException {
    return write(dir, "bad.yaml", """
        methods:
          - method: com.acme.shop.ProductRepository#findById(long)
            unknown: 1
        """);
  }

  static Path write(Path dir, String name, String yaml) throws IOException {
    return Files.writeString(dir.resolve(name), yaml);
  }
}
