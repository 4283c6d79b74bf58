package com.acme.shop;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * The fixture's "database": every method that touches the data counts a query, so a test can see
 * whether a call ran or was served from the cache. Knows nothing of the agent.
 */
public class ProductRepository {

  static final AtomicInteger QUERIES = new AtomicInteger();

  /** Where the asynchronous lookups run. */
  private static final ExecutorService LATER = Executors.newFixedThreadPool(2, task -> {
    Thread thread = new Thread(task, "shop-later");
    thread.setDaemon(true);
    return thread;
  });

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

  /** findById as an asynchronous API has it, its future already complete. */
  public CompletableFuture<Product> findLater(long id) {
    return CompletableFuture.completedFuture(findById(id));
  }

  /** findById on another thread, its future completed there. */
  public CompletableFuture<Product> findAsync(long id) {
    return CompletableFuture.supplyAsync(() -> findById(id), LATER);
  }

  /** findAsync, declared as a CompletionStage. */
  public CompletionStage<Product> findStage(long id) {
    return findAsync(id);
  }

  /** A lookup whose future fails, on another thread. */
  public CompletableFuture<Product> failLater(long id) {
    return CompletableFuture.supplyAsync(() -> {
      QUERIES.incrementAndGet();
      throw new IllegalStateException("no stock for " + id);
    }, LATER);
  }

  /** A lookup whose future is cancelled before it returns it. */
  public CompletableFuture<Product> cancelledLater(long id) {
    QUERIES.incrementAndGet();
    CompletableFuture<Product> cancelled = new CompletableFuture<>();
    cancelled.cancel(false);
    return cancelled;
  }

  /** slowFind on another thread: 300 ms before its future completes. */
  public CompletableFuture<Product> slowAsync(long id) {
    return slowLater(id);
  }

  private CompletableFuture<Product> slowLater(long id) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return slowFind(id);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    }, LATER);
  }

  private static final AtomicInteger FLAKY_CALLS = new AtomicInteger();

  /** slowAsync, except that the first call's future fails (a database that was restarting). */
  public CompletableFuture<Product> flakyAsync(long id) {
    boolean first = FLAKY_CALLS.getAndIncrement() == 0;
    return slowLater(id).thenApply(product -> {
      if (first) {
        throw new IllegalStateException("flaky " + id);
      }
      return product;
    });
  }

  /** A future of no declared value type: the agent cannot check what it completes with. */
  @SuppressWarnings("rawtypes")
  public CompletableFuture findRaw(long id) {
    return findLater(id);
  }

  /** findById behind a slow network: 300 ms per call. */
  public Product slowFind(long id) throws InterruptedException {
    Thread.sleep(300);
    return findById(id);
  }

  /** findById, then 1 s on a slow network back: what it returns was read before the wait. */
  public Product slowRead(long id) throws InterruptedException {
    Product found = findById(id);
    Thread.sleep(1000);
    return found;
  }

  /** The ids the latest batch lookup was asked for: what a test sees of the agent asking for the missing ones only. */
  static volatile String lastAsked = "";

  /** One product per id, in the same order; null for an id that does not exist. */
  public List<Product> listByIds(List<Long> ids) {
    QUERIES.incrementAndGet();
    lastAsked = ids.toString();
    List<Product> found = new ArrayList<>();
    ids.forEach(id -> found.add(rows.get(id)));
    return found;
  }

  /** The products of the ids that exist, by id. */
  public Map<Long, Product> findMap(Set<Long> ids) {
    QUERIES.incrementAndGet();
    lastAsked = ids.toString();
    Map<Long, Product> found = new LinkedHashMap<>();
    ids.stream().filter(rows::containsKey).forEach(id -> found.put(id, rows.get(id)));
    return found;
  }

  /** As a query with "where id in (...)" answers: in the table's order, leaving out ids that do not exist. */
  public List<Product> findExisting(Collection<Long> ids) {
    QUERIES.incrementAndGet();
    lastAsked = ids.toString();
    return rows.values().stream().filter(product -> ids.contains(product.getId()))
        .collect(Collectors.toList());
  }

  /** findExisting under another name, configured to match products to ids by their id. */
  public List<Product> findWhereIdIn(Collection<Long> ids) {
    return findExisting(ids);
  }

  public List<Product> search(String text, int limit) {
    QUERIES.incrementAndGet();
    List<Product> found = new ArrayList<>();
    for (Product p : rows.values()) {
      if (p.getName().contains(text) && found.size() < limit) {
        found.add(p);
      }
    }
    return Collections.unmodifiableList(new ArrayList<>(found));
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
