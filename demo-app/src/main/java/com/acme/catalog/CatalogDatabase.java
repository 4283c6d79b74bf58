package com.acme.catalog;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Random;
import javax.sql.DataSource;

/**
 * The catalog's database, seeded with products and reviews, the same every run (fixed seed): an
 * in-memory H2 by default, or the database that env {@code CATALOG_DB_URL} names (the demo's
 * {@code --db postgres}), whose tables products and reviews are recreated at start.
 */
final class CatalogDatabase {

  static final int PRODUCTS = 1_000;
  static final int CATEGORIES = 20;
  static final int REVIEWS_PER_PRODUCT = 200;
  static final String[] WORDS = {
    "steel", "oak", "linen", "wool", "copper", "glass", "cotton", "leather", "bamboo", "ceramic",
    "walnut", "marble", "silk", "canvas", "brass", "maple", "granite", "velvet", "cedar", "slate"};

  private static final String H2 = "jdbc:h2:mem:catalog;DB_CLOSE_DELAY=-1";
  private static final String URL = System.getenv().getOrDefault("CATALOG_DB_URL", H2);
  /** A pool for a database server, where a connection costs a process and a round trip; none for H2 in memory. */
  private static final DataSource POOL = URL.equals(H2) ? null : pool(URL);

  private CatalogDatabase() {}

  /** A connection to the catalog, to be closed after one call, as legacy data access does. */
  static Connection connect() throws SQLException {
    return POOL != null ? POOL.getConnection() : DriverManager.getConnection(URL);
  }

  /** What the service runs on, for its start line. */
  static String describe() {
    return POOL != null ? URL.replaceAll("\\?.*", "") : "H2 in memory";
  }

  private static DataSource pool(String url) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setMaximumPoolSize(16);
    config.setPoolName("catalog");
    return new HikariDataSource(config);
  }

  static void seed() throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      s.execute("DROP TABLE IF EXISTS reviews");
      s.execute("DROP TABLE IF EXISTS products");
      s.execute("CREATE TABLE products (id BIGINT PRIMARY KEY, name VARCHAR(100), category VARCHAR(40),"
          + " price DECIMAL(10,2), description VARCHAR(400))");
      s.execute("CREATE TABLE reviews (product_id BIGINT, rating INT)");
      Random random = new Random(42);
      try (PreparedStatement p = c.prepareStatement("INSERT INTO products VALUES (?, ?, ?, ?, ?)")) {
        for (long id = 1; id <= PRODUCTS; id++) {
          p.setLong(1, id);
          p.setString(2, WORDS[random.nextInt(WORDS.length)] + " item " + id);
          p.setString(3, "category-" + (id % CATEGORIES));
          p.setBigDecimal(4, BigDecimal.valueOf(100 + random.nextInt(100_000), 2));
          p.setString(5, description(random));
          p.addBatch();
          if (id % 1000 == 0) {
            p.executeBatch();
          }
        }
      }
      try (PreparedStatement r = c.prepareStatement("INSERT INTO reviews VALUES (?, ?)")) {
        for (long id = 1; id <= PRODUCTS; id++) {
          for (int i = 0; i < REVIEWS_PER_PRODUCT; i++) {
            r.setLong(1, id);
            r.setInt(2, 1 + random.nextInt(5));
            r.addBatch();
          }
          if (id % 500 == 0) {
            r.executeBatch();
          }
        }
      }
      s.execute("CREATE INDEX reviews_product ON reviews(product_id)");
      s.execute("CREATE INDEX products_category ON products(category)");
      c.commit();
      if (POOL != null) {
        s.execute("ANALYZE"); // the planner's statistics of the fresh tables
      }
      c.setAutoCommit(true);
    }
  }

  private static String description(Random random) {
    StringBuilder text = new StringBuilder();
    while (text.length() < 300) {
      text.append(WORDS[random.nextInt(WORDS.length)]).append(random.nextInt(1000)).append(' ');
    }
    return text.toString();
  }
}
