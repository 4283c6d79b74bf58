package com.acme.shop;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

/**
 * A "legacy" app driven line by line over standard input, one answer line per command:
 * {@code find 1}, {@code search product 2}, {@code save 1 newname}, {@code saveBroken 1},
 * {@code deleteAll}, {@code fail 1}, {@code price 3}, {@code ids}, {@code queries}, and {@code burst 8 1}
 * (8 threads call slowFind(1) at the same moment; answers the distinct results), {@code vburst 200 1}
 * (the same from virtual threads, Java 21+), {@code asyncBurst 8 1} (the same with slowAsync(1), each
 * joining its future) and {@code flakyBurst 4 1} (with flakyAsync(1), whose first call fails).
 */
public final class ShopApp {

  private ShopApp() {}

  /** The Java release of this JVM: java.specification.version is "1.8" up to Java 8, then "9", "11", ... */
  private static String javaRelease() {
    String spec = System.getProperty("java.specification.version");
    return spec.startsWith("1.") ? spec.substring(2) : spec;
  }

  /** One virtual thread per task (Java 21+); the app is compiled for Java 8, so found by reflection. */
  private static ExecutorService virtualThreads() {
    try {
      return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("no virtual threads on Java " + javaRelease());
    }
  }

  /** {@code threads} tasks of {@code pool} make {@code call} at once; answers the distinct results, in order. */
  private static String burst(ExecutorService pool, int threads, Callable<Object> call) {
    CountDownLatch start = new CountDownLatch(1);
    List<Future<String>> answers = new ArrayList<>();
    try {
      for (int i = 0; i < threads; i++) {
        answers.add(pool.submit(() -> {
          start.await();
          try {
            return String.valueOf(call.call());
          } catch (RuntimeException e) {
            return "threw " + e;
          }
        }));
      }
      start.countDown();
      Set<String> distinct = new TreeSet<>();
      for (Future<String> answer : answers) {
        distinct.add(answer.get());
      }
      return threads + " answers " + distinct;
    } catch (InterruptedException | ExecutionException e) {
      return "burst failed: " + e;
    } finally {
      pool.shutdownNow();
    }
  }

  /** The future's value, after "ready" if it was complete when the method returned it, else "later". */
  private static String readyOrLater(CompletableFuture<?> future) {
    boolean ready = future.isDone();
    return (ready ? "ready " : "later ") + future.join();
  }

  /** "1,2,3" as a list of ids. */
  private static List<Long> ids(String text) {
    return Arrays.stream(text.split(",")).map(Long::valueOf).collect(Collectors.toCollection(ArrayList::new));
  }

  /** The answer to one command line, split into {@code words}. */
  private static String answer(ProductRepository repository, String[] words) throws InterruptedException {
    switch (words[0]) {
      case "find":
        return String.valueOf(repository.findById(Long.parseLong(words[1])));
      case "slowFind":
        return String.valueOf(repository.slowFind(Long.parseLong(words[1])));
      case "slowRead":
        return String.valueOf(repository.slowRead(Long.parseLong(words[1])));
      case "findLater":
        return String.valueOf(repository.findLater(Long.parseLong(words[1])).join());
      case "findAsync":
        return readyOrLater(repository.findAsync(Long.parseLong(words[1])));
      case "findStage":
        return readyOrLater(repository.findStage(Long.parseLong(words[1])).toCompletableFuture());
      case "failLater":
        return String.valueOf(repository.failLater(Long.parseLong(words[1])).join());
      case "cancelledLater":
        return String.valueOf(repository.cancelledLater(Long.parseLong(words[1])).join());
      case "findRaw":
        return String.valueOf(repository.findRaw(Long.parseLong(words[1])).join());
      case "findByIds":
        return repository.listByIds(ids(words[1])) + " asked=" + ProductRepository.lastAsked;
      case "findMap":
        return repository.findMap(new LinkedHashSet<>(ids(words[1]))) + " asked=" + ProductRepository.lastAsked;
      case "findExisting":
        return repository.findExisting(ids(words[1])) + " asked=" + ProductRepository.lastAsked;
      case "findWhereIdIn":
        return repository.findWhereIdIn(ids(words[1])) + " asked=" + ProductRepository.lastAsked;
      case "search":
        return String.valueOf(repository.search(words[1], Integer.parseInt(words[2])));
      case "save":
        repository.save(new Product(Long.parseLong(words[1]), words[2], BigDecimal.ONE));
        return "saved";
      case "saveBroken":
        repository.saveBroken(new Product(Long.parseLong(words[1]), "broken", BigDecimal.ONE));
        return "saved";
      case "deleteAll":
        repository.deleteAll();
        return "deleted";
      case "fail":
        return String.valueOf(repository.failing(Long.parseLong(words[1])));
      case "price":
        return String.valueOf(ProductRepository.priceOf(Integer.parseInt(words[1])));
      case "ids":
        return Arrays.toString(repository.ids());
      case "location":
        return String.valueOf(repository.location(Integer.parseInt(words[1])));
      case "queries":
        return String.valueOf(ProductRepository.QUERIES.get());
      case "jdk":
        return "java " + javaRelease();
      case "burst":
        return burst(Executors.newFixedThreadPool(Integer.parseInt(words[1])), Integer.parseInt(words[1]),
            () -> repository.slowFind(Long.parseLong(words[2])));
      case "vburst":
        return burst(virtualThreads(), Integer.parseInt(words[1]), () -> repository.slowFind(Long.parseLong(words[2])));
      case "asyncBurst":
        return burst(Executors.newFixedThreadPool(Integer.parseInt(words[1])), Integer.parseInt(words[1]),
            () -> repository.slowAsync(Long.parseLong(words[2])).join());
      case "flakyBurst":
        return burst(Executors.newFixedThreadPool(Integer.parseInt(words[1])), Integer.parseInt(words[1]),
            () -> repository.flakyAsync(Long.parseLong(words[2])).join());
      default:
        return "unknown command " + words[0];
    }
  }

  public static void main(String[] args) throws Exception {
    ProductRepository repository = new ProductRepository();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    System.out.println("started");
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      String[] words = line.trim().split(" ");
      if (words[0].equals("quit")) {
        return;
      }
      String answer;
      try {
        answer = answer(repository, words);
      } catch (RuntimeException e) {
        answer = "threw " + e;
      }
      System.out.println(answer + " queries=" + ProductRepository.QUERIES.get());
    }
  }
}
