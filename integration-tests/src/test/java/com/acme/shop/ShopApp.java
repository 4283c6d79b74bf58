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

  /** One virtual thread per task (Java 21+); the app is compiled for 17, so found by reflection. */
  private static ExecutorService virtualThreads() {
    try {
      return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("no virtual threads on Java " + Runtime.version().feature());
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

  public static void main(String[] args) throws Exception {
    ProductRepository repository = new ProductRepository();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    System.out.println("started");
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      String[] words = line.strip().split(" ");
      if (words[0].equals("quit")) {
        return;
      }
      String answer;
      try {
        answer = switch (words[0]) {
          case "find" -> String.valueOf(repository.findById(Long.parseLong(words[1])));
          case "slowFind" -> String.valueOf(repository.slowFind(Long.parseLong(words[1])));
          case "slowRead" -> String.valueOf(repository.slowRead(Long.parseLong(words[1])));
          case "findLater" -> String.valueOf(repository.findLater(Long.parseLong(words[1])).join());
          case "findAsync" -> readyOrLater(repository.findAsync(Long.parseLong(words[1])));
          case "findStage" -> readyOrLater(repository.findStage(Long.parseLong(words[1])).toCompletableFuture());
          case "failLater" -> String.valueOf(repository.failLater(Long.parseLong(words[1])).join());
          case "cancelledLater" -> String.valueOf(repository.cancelledLater(Long.parseLong(words[1])).join());
          case "findRaw" -> String.valueOf(repository.findRaw(Long.parseLong(words[1])).join());
          case "findByIds" -> repository.listByIds(ids(words[1])) + " asked=" + ProductRepository.lastAsked;
          case "findMap" -> repository.findMap(new LinkedHashSet<>(ids(words[1]))) + " asked=" + ProductRepository.lastAsked;
          case "findExisting" -> repository.findExisting(ids(words[1])) + " asked=" + ProductRepository.lastAsked;
          case "findWhereIdIn" -> repository.findWhereIdIn(ids(words[1])) + " asked=" + ProductRepository.lastAsked;
          case "search" -> String.valueOf(repository.search(words[1], Integer.parseInt(words[2])));
          case "save" -> {
            repository.save(new Product(Long.parseLong(words[1]), words[2], BigDecimal.ONE));
            yield "saved";
          }
          case "saveBroken" -> {
            repository.saveBroken(new Product(Long.parseLong(words[1]), "broken", BigDecimal.ONE));
            yield "saved";
          }
          case "deleteAll" -> {
            repository.deleteAll();
            yield "deleted";
          }
          case "fail" -> String.valueOf(repository.failing(Long.parseLong(words[1])));
          case "price" -> String.valueOf(ProductRepository.priceOf(Integer.parseInt(words[1])));
          case "ids" -> Arrays.toString(repository.ids());
          case "location" -> String.valueOf(repository.location(Integer.parseInt(words[1])));
          case "queries" -> String.valueOf(ProductRepository.QUERIES.get());
          case "jdk" -> "java " + Runtime.version().feature();
          case "burst" -> burst(Executors.newFixedThreadPool(Integer.parseInt(words[1])), Integer.parseInt(words[1]),
              () -> repository.slowFind(Long.parseLong(words[2])));
          case "vburst" -> burst(virtualThreads(), Integer.parseInt(words[1]), () -> repository.slowFind(Long.parseLong(words[2])));
          case "asyncBurst" -> burst(Executors.newFixedThreadPool(Integer.parseInt(words[1])), Integer.parseInt(words[1]),
              () -> repository.slowAsync(Long.parseLong(words[2])).join());
          case "flakyBurst" -> burst(Executors.newFixedThreadPool(Integer.parseInt(words[1])), Integer.parseInt(words[1]),
              () -> repository.flakyAsync(Long.parseLong(words[2])).join());
          default -> "unknown command " + words[0];
        };
      } catch (RuntimeException e) {
        answer = "threw " + e;
      }
      System.out.println(answer + " queries=" + ProductRepository.QUERIES.get());
    }
  }
}
