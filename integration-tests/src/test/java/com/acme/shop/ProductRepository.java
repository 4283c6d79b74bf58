package com.acme.shop;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The fixture's "database": every method that touches the data counts a query, so a test can see
 * whether a call ran or was served from the cache. Knows nothing of the agent.
 */
public class ProductRepository {

  static final AtomicInteger QUERIES = new AtomicInteger();

  private final Map<Long, Product> rows = new TreeMap<>();

  public ProductRepository() {
    for (long id = 1; id <= 5; id++) {
      rows.put(id, new Product(id, "product-" + id, BigDecimal.valueOf(id * 10)));
    }
  }

  public Product findById(long id) {
    QUERIES.incrementAndGet();
    return rows.get(id);
  }

  /** findById as an asynchronous API has it: a result still to come, which the agent does not cache. */
  public CompletableFuture<Product> findLater(long id) {
    return CompletableFuture.completedFuture(findById(id));
  }

  /** findById behind a slow network: 300 ms per call. */
  public Product slowFind(long id) throws InterruptedException {
    Thread.sleep(300);
    return findById(id);
  }

  public List<Product> search(String text, int limit) {
    QUERIES.incrementAndGet();
    List<Product> found = new ArrayList<>();
    for (Product p : rows.values()) {
      if (p.getName().contains(text) && found.size() < limit) {
        found.add(p);
      }
    }
    return List.copyOf(found);
  }

  public void save(Product product) {
    QUERIES.incrementAndGet();
    rows.put(product.getId(), product);
  }

  public void saveBroken(Product product) {
    QUERIES.incrementAndGet();
    throw new IllegalStateException("disk full while saving " + product.getId());
  }

  public void deleteAll() {
    QUERIES.incrementAndGet();
    rows.clear();
  }

  public Product failing(long id) {
    QUERIES.incrementAndGet();
    throw new IllegalStateException("no product " + id);
  }

  public static double priceOf(int id) {
    QUERIES.incrementAndGet();
    return id * 1.5;
  }

  /** Declared Object: its value, a java.awt.Point, is not one the agent allows unless told. */
  public Object location(int id) {
    QUERIES.incrementAndGet();
    return new java.awt.Point(id, id);
  }

  public long[] ids() {
    QUERIES.incrementAndGet();
    return rows.keySet().stream().mapToLong(Long::longValue).toArray();
  }
}
