package com.acme.catalog;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The data access of the catalog, written the way legacy code is: a connection per call (from a
 * pool on a database server), plain JDBC. Counts every statement it runs, which the demo reads to show the database load.
 */
public class ProductDao {

  static final AtomicLong READ_QUERIES = new AtomicLong();
  static final AtomicLong WRITE_QUERIES = new AtomicLong();

  public Product findById(long id) throws SQLException {
    READ_QUERIES.incrementAndGet();
    try (Connection c = CatalogDatabase.connect();
        PreparedStatement p = c.prepareStatement("""
            WITH ratings AS (
              SELECT r.product_id, AVG(CAST(r.rating AS DOUBLE PRECISION)) AS avg_rating, COUNT(*) AS reviews
              FROM reviews r JOIN products p ON p.id = r.product_id
              WHERE p.category = (SELECT category FROM products WHERE id = ?)
              GROUP BY r.product_id)
            SELECT p.id, p.name, p.category, p.price, me.avg_rating, me.reviews,
              (SELECT COUNT(*) FROM ratings better WHERE better.avg_rating > me.avg_rating) + 1 AS rank
            FROM products p JOIN ratings me ON me.product_id = p.id
            WHERE p.id = ?""")) {
      p.setLong(1, id);
      p.setLong(2, id);
      try (ResultSet rs = p.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        return new Product(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getBigDecimal(4),
            rs.getDouble(5), rs.getInt(6), rs.getInt(7));
      }
    }
  }

  public List<SearchHit> search(String term) throws SQLException {
    READ_QUERIES.incrementAndGet();
    try (Connection c = CatalogDatabase.connect();
        PreparedStatement p = c.prepareStatement(
            "SELECT id, name FROM products WHERE LOWER(description) LIKE ? ORDER BY name LIMIT 20")) {
      p.setString(1, "%" + term.toLowerCase() + "%");
      return hits(p);
    }
  }

  public CategoryReport report(String category) throws SQLException {
    READ_QUERIES.incrementAndGet();
    try (Connection c = CatalogDatabase.connect();
        PreparedStatement stars = c.prepareStatement("""
            SELECT r.rating, COUNT(*) FROM reviews r JOIN products p ON p.id = r.product_id
            WHERE p.category = ? GROUP BY r.rating ORDER BY r.rating""");
        PreparedStatement best = c.prepareStatement("""
            SELECT p.id, p.name FROM reviews r JOIN products p ON p.id = r.product_id
            WHERE p.category = ? GROUP BY p.id, p.name
            ORDER BY AVG(CAST(r.rating AS DOUBLE PRECISION)) DESC, p.id LIMIT 5""")) {
      stars.setString(1, category);
      List<Long> counts = new ArrayList<>(List.of(0L, 0L, 0L, 0L, 0L));
      try (ResultSet rs = stars.executeQuery()) {
        while (rs.next()) {
          counts.set(rs.getInt(1) - 1, rs.getLong(2));
        }
      }
      best.setString(1, category);
      return new CategoryReport(category, List.copyOf(counts), hits(best));
    }
  }

  public void updatePrice(long id, BigDecimal price) throws SQLException {
    WRITE_QUERIES.incrementAndGet();
    try (Connection c = CatalogDatabase.connect();
        PreparedStatement p = c.prepareStatement("UPDATE products SET price = ? WHERE id = ?")) {
      p.setBigDecimal(1, price);
      p.setLong(2, id);
      p.executeUpdate();
    }
  }

  public void delete(long id) throws SQLException {
    WRITE_QUERIES.incrementAndGet();
    try (Connection c = CatalogDatabase.connect();
        PreparedStatement p = c.prepareStatement("DELETE FROM products WHERE id = ?")) {
      p.setLong(1, id);
      p.executeUpdate();
    }
  }

  private static List<SearchHit> hits(PreparedStatement statement) throws SQLException {
    List<SearchHit> hits = new ArrayList<>();
    try (ResultSet rs = statement.executeQuery()) {
      while (rs.next()) {
        hits.add(new SearchHit(rs.getLong(1), rs.getString(2)));
      }
    }
    return List.copyOf(hits);
  }
}
