package io.cacheagent.demo;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/*
 * Concurrent clients against the catalog service, with the access pattern of a real shop:
 * product ids, search terms and categories drawn from Zipf distributions (a few are hot, most are
 * cold), 85.5% product pages, 8% searches, 6% category reports, 0.5% writes: price changes, and
 * one write in ten a delete. Every write is followed by a read of the same product by the same
 * client: a read that does not show the written price, or still shows a deleted product, is a
 * stale read. Each client changes only the prices of its own share of the
 * products (id modulo clients), so no other client's write can make such a read look stale. Each client pauses a short think time between requests, as
 * users do, so the service is measured under load rather than only at saturation.
 */
final class LoadDriver {

  private static final int SEARCH_TERMS = 200;
  private static final int PRODUCTS = 1_000; // as seeded by CatalogDatabase
  private static final int CATEGORIES = 20;
  private static final String[] WORDS = {"steel", "oak", "linen", "wool", "copper", "glass", "cotton", "leather",
      "bamboo", "ceramic", "walnut", "marble", "silk", "canvas", "brass", "maple", "granite", "velvet", "cedar", "slate"};

  private final String baseUrl;
  private final int clients;
  private final long thinkMillis;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final Zipf productIds = new Zipf(PRODUCTS, 1.2);
  private final Zipf searchTerms = new Zipf(SEARCH_TERMS, 1.1);
  private final Zipf categories = new Zipf(CATEGORIES, 1.1);

  LoadDriver(String baseUrl, int clients, long thinkMillis) {
    this.baseUrl = baseUrl;
    this.clients = clients;
    this.thinkMillis = thinkMillis;
  }

  /** Runs unrecorded for {@code warmup}, then records for {@code measure}; prints a progress line each second. */
  RunResult run(String mode, String store, Duration warmup, Duration measure) throws Exception {
    drive(mode + " warm-up", warmup, null, false, NOTHING);
    long[] before = stats();
    Recorder recorder = new Recorder();
    long started = System.nanoTime();
    drive(mode, measure, recorder, false, NOTHING);
    double seconds = (System.nanoTime() - started) / 1e9;
    long[] after = stats();
    return new RunResult(mode, recorder.latencies(), recorder.requests.get(), seconds, after[0] - before[0],
        after[1] - before[1], recorder.reads.get(), recorder.staleReads.get(), store, 0);
  }

  /** Something to do once a second while the load runs, e.g. stop Redis at second 10. */
  interface EverySecond {
    void at(int second) throws Exception;
  }

  private static final EverySecond NOTHING = second -> {};

  /**
   * Runs unrecorded for {@code warmup}, then for {@code measure} records every read and the
   * database's statements once a second, calling {@code everySecond} at each second. A failed
   * request is counted, and the load goes on.
   */
  Timeline runTimeline(Duration warmup, Duration measure, EverySecond everySecond) throws Exception {
    drive("warm-up", warmup, null, false, NOTHING);
    Recorder recorder = new Recorder();
    List<long[]> queries = new ArrayList<>();
    queries.add(stats());
    drive("measured", measure, recorder, true, second -> {
      queries.add(stats());
      everySecond.at(second);
    });
    return Timeline.of(recorder, queries);
  }

  /** Runs the clients for {@code length}; a failed request voids the run unless {@code countFailures}. */
  private void drive(String label, Duration length, Recorder recorder, boolean countFailures, EverySecond everySecond)
      throws Exception {
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicLong done = new AtomicLong();
    AtomicReference<Exception> failure = new AtomicReference<>();
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      Random random = new Random(1000L * c + label.hashCode());
      int clientIndex = c;
      Thread client = new Thread(() -> {
        while (running.get()) {
          try {
            step(random, recorder, clientIndex);
            done.incrementAndGet();
          } catch (IOException | InterruptedException | RuntimeException e) {
            if (countFailures && running.get()) {
              recorder.failures.incrementAndGet();
            } else if (running.getAndSet(false)) {
              failure.set(e);
            }
          }
          try {
            Thread.sleep(thinkMillis);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "client-" + c);
      client.start();
      threads.add(client);
    }
    long start = System.nanoTime();
    long end = start + length.toNanos();
    int second = 0;
    while (System.nanoTime() < end && running.get()) {
      second++;
      Thread.sleep(Math.max(1, (start + second * 1_000_000_000L - System.nanoTime()) / 1_000_000));
      System.out.printf("\r  %-16s %3ds/%ds  %7d requests", label, second, length.toSeconds(), done.get());
      everySecond.at(second);
    }
    running.set(false);
    for (Thread thread : threads) {
      thread.join();
    }
    System.out.println();
    if (failure.get() != null) {
      throw new IllegalStateException("a client failed, so the run is void: " + failure.get(), failure.get());
    }
  }

  private void step(Random random, Recorder recorder, int clientIndex) throws IOException, InterruptedException {
    double dice = random.nextDouble() * 100;
    if (dice < 85.5) {
      read(recorder, "/product?id=" + productIds.next(random));
    } else if (dice < 93.5) {
      int term = searchTerms.next(random);
      read(recorder, "/search?q=" + WORDS[term % WORDS.length] + (term / WORDS.length));
    } else if (dice < 99.5) {
      read(recorder, "/report?category=category-" + (categories.next(random) - 1));
    } else if (random.nextInt(10) == 0) {
      long id = ownedId(productIds.next(random), clientIndex);
      get("/delete?id=" + id, "POST");
      String page = read(recorder, "/product?id=" + id);
      if (recorder != null) {
        recorder.requests.incrementAndGet();
        if (!page.equals("null")) {
          recorder.staleReads.incrementAndGet();
        }
      }
    } else {
      long id = ownedId(productIds.next(random), clientIndex);
      String price = BigDecimal.valueOf(100 + random.nextInt(100_000), 2).toPlainString();
      get("/price?id=" + id + "&value=" + price, "POST");
      String page = read(recorder, "/product?id=" + id);
      // "null": this client deleted the product earlier (only it writes this id), so null is right.
      if (recorder != null) {
        recorder.requests.incrementAndGet();
        if (!page.equals("null") && !price.equals(page.split("\n")[2])) {
          recorder.staleReads.incrementAndGet();
        }
      }
    }
  }

  /** The product of this client's share nearest to a drawn one: (id - 1) % clients == clientIndex. */
  private long ownedId(int drawn, int clientIndex) {
    long id = (drawn - 1) / clients * clients + clientIndex + 1L;
    return id > PRODUCTS ? id - clients : id;
  }

  private String read(Recorder recorder, String path) throws IOException, InterruptedException {
    long started = System.nanoTime();
    String body = get(path, "GET");
    if (recorder != null) {
      recorder.record(System.nanoTime() - started);
    }
    return body;
  }

  private String get(String path, String method) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path))
        .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(30)).build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException(path + " answered " + response.statusCode() + ": " + response.body());
    }
    return response.body();
  }

  /** Database statements so far: {reads, writes}. */
  long[] stats() throws IOException, InterruptedException {
    String[] counts = get("/stats", "GET").split(" ");
    return new long[] {Long.parseLong(counts[0]), Long.parseLong(counts[1])};
  }
}
