package io.cacheagent.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.cacheagent.config.RedisSettings;
import io.cacheagent.config.TlsFiles;
import io.cacheagent.testkit.RedisServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RedisStoreTest {

  private static RedisServer server;
  private static RedisStore store;

  @BeforeAll
  static void start() throws Exception {
    server = RedisServer.start();
    store = new RedisStore(new RedisSettings(server.uri(), Duration.ofMillis(200)));
    awaitConnected(store);
  }

  @AfterAll
  static void stop() throws Exception {
    store.close();
    server.close();
  }

  @Test
  void get_returnsValuesInOrder_nullWhereAbsent() throws Exception {
    store.set("a", bytes("1"), Duration.ofMinutes(1));
    store.set("b", bytes("2"));

    byte[][] values = store.get("a", "missing", "b");

    assertThat(new String(values[0], StandardCharsets.UTF_8)).isEqualTo("1");
    assertThat(values[1]).isNull();
    assertThat(new String(values[2], StandardCharsets.UTF_8)).isEqualTo("2");
    assertThat(Long.parseLong(server.cli("PTTL", "a"))).isBetween(1L, 60_000L);
    assertThat(server.cli("PTTL", "b")).isEqualTo("-1");
  }

  @Test
  void get_onAnInterruptedThread_answers_keepsTheInterrupt_andNeverOpensTheBreaker() throws Exception {
    store.set("interrupted", bytes("1")).toCompletableFuture().get();

    for (int call = 0; call <= CircuitBreaker.FAILURES_TO_OPEN; call++) {
      Thread.currentThread().interrupt(); // as after Future.cancel(true) of the task that calls
      byte[][] values = store.get("interrupted");
      assertThat(Thread.interrupted()).as("the interrupt is kept for the application").isTrue();
      assertThat(values).as("call %d", call).isNotNull();
      assertThat(new String(values[0], StandardCharsets.UTF_8)).isEqualTo("1");
    }
    assertThat(store.isCircuitOpen()).isFalse();
    assertThat(store.state()).isEqualTo("connected");
  }

  @Test
  void setIfAbsent_keepsTheFirstValue() throws Exception {
    store.setIfAbsent("gen", bytes("first"));
    store.setIfAbsent("gen", bytes("second"));
    store.setIfAbsent("entry", bytes("first"), Duration.ofMinutes(1));
    store.setIfAbsent("entry", bytes("second"), Duration.ofMinutes(1));

    assertThat(new String(store.get("gen")[0], StandardCharsets.UTF_8)).isEqualTo("first");
    assertThat(new String(store.get("entry")[0], StandardCharsets.UTF_8)).isEqualTo("first");
    assertThat(Long.parseLong(server.cli("PTTL", "entry"))).isBetween(1L, 60_000L);
  }

  @Test
  void replace_setsOnlyOverTheBytesItSaw() throws Exception {
    store.set("k", bytes("tombstone-1"), Duration.ofMinutes(1));

    store.replace("k", bytes("tombstone-0"), bytes("stale load"), Duration.ofMinutes(1));
    assertThat(new String(store.get("k")[0], StandardCharsets.UTF_8)).isEqualTo("tombstone-1");

    store.replace("k", bytes("tombstone-1"), bytes("fresh load"), Duration.ofMinutes(2));
    assertThat(new String(store.get("k")[0], StandardCharsets.UTF_8)).isEqualTo("fresh load");
    assertThat(Long.parseLong(server.cli("PTTL", "k"))).isBetween(60_001L, 120_000L);
  }

  @Test
  void awaitWrites_returnsOnceRedisConfirmed_whileItHoldsWritesForAWhile() throws Exception {
    try (RedisStore patient = new RedisStore(new RedisSettings(server.uri(), Duration.ofSeconds(5)))) {
      awaitConnected(patient);
      server.cli("CLIENT", "PAUSE", "300", "WRITE"); // Redis holds writes for 300 ms; the timeout is 5 s
      CompletableFuture<?> write = patient.set("awaited", bytes("tombstone"), Duration.ofMinutes(1)).toCompletableFuture();

      patient.awaitWrites(List.of(write));

      assertThat(write).as("confirmed when awaitWrites returns").isCompleted();
      assertThat(new String(patient.get("awaited")[0], StandardCharsets.UTF_8)).isEqualTo("tombstone");
    }
  }

  @Test
  void whenConnected_runsAtTheFirstConnect_andAgainAfterRedisCameBack() throws Exception {
    try (RedisServer restarting = RedisServer.start();
        RedisStore reconnecting = new RedisStore(new RedisSettings(restarting.uri(), Duration.ofMillis(200)))) {
      awaitConnected(reconnecting);
      java.util.concurrent.atomic.AtomicInteger connects = new java.util.concurrent.atomic.AtomicInteger();
      reconnecting.whenConnected(connects::incrementAndGet);
      // isConnected() turns true a moment before the first connect is announced, on the
      // connecting thread: the action may run there, just after this returns.
      awaitCount(connects, 1);
      assertThat(connects).as("run once for the first connect").hasValue(1);

      restarting.stop();
      restarting.restart();

      awaitCount(connects, 2);
      assertThat(connects).as("run again once the connection is back, without a read").hasValue(2);
    }
  }

  @Test
  void aNewConnection_closesTheBreaker_soThatWritesReachRedisAtOnce() throws Exception {
    try (RedisServer restarting = RedisServer.start();
        RedisStore reconnecting = new RedisStore(new RedisSettings(restarting.uri(), Duration.ofMillis(100)))) {
      awaitConnected(reconnecting);
      java.util.concurrent.atomic.AtomicInteger connects = new java.util.concurrent.atomic.AtomicInteger();
      reconnecting.whenConnected(connects::incrementAndGet);
      awaitCount(connects, 1);
      CompletableFuture<String> sleeping = putToSleep(restarting, "1");
      openBreaker(reconnecting);
      sleeping.join();

      restarting.stop();
      restarting.restart();
      awaitCount(connects, 2);

      // The drops of evictions missed meanwhile are sent from here (whenConnected), and must not
      // wait for a read to close the breaker: other JVMs read Redis already.
      assertThat(reconnecting.isCircuitOpen()).as("open after the new connection answered").isFalse();
      reconnecting.set("after", bytes("yes"), Duration.ofMinutes(1)).toCompletableFuture().get(5, TimeUnit.SECONDS);
      assertThat(restarting.cli("GET", "after")).isEqualTo("yes");
    }
  }

  @Test
  void evictionsAreSentWhileTheBreakerIsOpen_andOnceConfirmedCloseIt() throws Exception {
    try (RedisServer hanging = RedisServer.start();
        RedisStore guarded = new RedisStore(new RedisSettings(hanging.uri(), Duration.ofMillis(100)))) {
      awaitConnected(guarded);
      CompletableFuture<String> sleeping = putToSleep(hanging, "1");
      openBreaker(guarded);
      sleeping.join();
      assertThat(guarded.isCircuitOpen()).as("no read has probed Redis since it woke up").isTrue();

      // Other JVMs whose probe came first read Redis again: this JVM's write must reach it.
      CompletableFuture<?> eviction = guarded.set("evicted", bytes("tombstone"), Duration.ofMinutes(1)).toCompletableFuture();
      guarded.awaitWrites(List.of(eviction));

      assertThat(eviction).as("confirmed before the write returned").isCompleted();
      assertThat(hanging.cli("GET", "evicted")).isEqualTo("tombstone");
      assertThat(guarded.isCircuitOpen()).as("closed by the confirmation").isFalse();
    }
  }

  @Test
  void writesWaitForTheirEvictionsAgain_asSoonAsRedisAnswers_notASecondAfterAWaitTimedOut() throws Exception {
    try (RedisServer hanging = RedisServer.start();
        RedisStore guarded = new RedisStore(new RedisSettings(hanging.uri(), Duration.ofMillis(100)))) {
      awaitConnected(guarded);
      CompletableFuture<String> sleeping = putToSleep(hanging, "1");
      CompletableFuture<?> during = guarded.set("during", bytes("tombstone"), Duration.ofMinutes(1)).toCompletableFuture();
      guarded.awaitWrites(List.of(during));
      assertThat(during).as("timed out: the writes of the next second would not wait").isNotCompleted();
      sleeping.join();
      assertThat(guarded.get("k")).as("Redis answers again").isNotNull();

      CompletableFuture<?> after = guarded.set("after", bytes("tombstone"), Duration.ofMinutes(1)).toCompletableFuture();
      guarded.awaitWrites(List.of(after));

      // A write that returned before its eviction landed could be overtaken by another JVM's read.
      assertThat(after).as("waited for").isCompleted();
    }
  }

  @Test
  void afterAReconnect_readsWaitUntilOtherJvmsCanBeBackToo() throws Exception {
    try (RedisServer restarting = RedisServer.start();
        RedisStore reconnecting = new RedisStore(new RedisSettings(restarting.uri(), Duration.ofMillis(200)))) {
      awaitConnected(reconnecting);
      java.util.concurrent.atomic.AtomicInteger connects = new java.util.concurrent.atomic.AtomicInteger();
      java.util.concurrent.atomic.AtomicLong reconnectedNanos = new java.util.concurrent.atomic.AtomicLong();
      reconnecting.whenConnected(() -> {
        reconnectedNanos.set(System.nanoTime());
        connects.incrementAndGet();
      });
      awaitCount(connects, 1);
      assertThat(reconnecting.get("k")).isNotNull();

      restarting.stop();
      restarting.restart();
      awaitCount(connects, 2);

      // Another JVM may still be reconnecting, and its writes meanwhile are evictions Redis never got.
      long asked = System.nanoTime();
      byte[][] justAfter = reconnecting.get("k");
      if (asked - reconnectedNanos.get() < RedisConnection.SETTLE_NANOS / 2) { // a slow machine may not ask in time
        assertThat(justAfter).as("unavailable just after the reconnect").isNull();
      }
      Thread.sleep(TimeUnit.NANOSECONDS.toMillis(RedisConnection.SETTLE_NANOS) + 50);
      assertThat(reconnecting.get("k")).as("available once the others can be back").isNotNull();
    }
  }

  @Test
  void get_whileRedisIsBusyPastTheTimeout_answersUnavailable() throws Exception {
    CompletableFuture<String> sleeping = putToSleep(server, "1.5");

    assertThat(store.get("a")).isNull();

    sleeping.join();
    assertThat(store.get("a")).isNotNull();
  }

  @Test
  void circuitBreaker_opensWhileRedisHangs_sendsNoReads_andClosesWhenItAnswers() throws Exception {
    try (RedisServer hanging = RedisServer.start();
        RedisStore guarded = new RedisStore(new RedisSettings(hanging.uri(), Duration.ofMillis(100)))) {
      awaitConnected(guarded);
      CompletableFuture<String> sleeping = putToSleep(hanging, "3");

      openBreaker(guarded);
      for (int i = 0; i < 100; i++) {
        assertThat(guarded.get("k")).isNull();
      }

      sleeping.join();
      // Only the reads before the breaker opened (and at most one probe a second since) reached
      // Redis; it works through them once it wakes up.
      long calls = 0;
      for (int i = 0; i < 40 && calls < CircuitBreaker.FAILURES_TO_OPEN; i++) {
        Thread.sleep(50);
        calls = mgetCalls(hanging);
      }
      assertThat(calls).isBetween((long) CircuitBreaker.FAILURES_TO_OPEN, CircuitBreaker.FAILURES_TO_OPEN + 4L);
      byte[][] answer = null;
      for (int i = 0; i < 100 && answer == null; i++) {
        answer = guarded.get("k");
        Thread.sleep(50);
      }
      assertThat(answer).as("reads resume after Redis answers").isNotNull();
      assertThat(guarded.isCircuitOpen()).isFalse();
    }
  }

  @Test
  void writesWhileRedisHangs_pastTheRequestQueueBound_areRefused_insteadOfGrowingTheHeap() throws Exception {
    try (RedisServer hanging = RedisServer.start();
        RedisStore patient = new RedisStore(new RedisSettings(hanging.uri(), Duration.ofSeconds(10)))) {
      awaitConnected(patient);
      hanging.cli("CLIENT", "PAUSE", "3000", "ALL");
      int sent = RedisConnection.REQUEST_QUEUE_SIZE + 5_000;

      List<CompletableFuture<?>> writes = new ArrayList<>();
      for (int i = 0; i < sent; i++) {
        writes.add(patient.set("k" + i, bytes("v"), Duration.ofMinutes(1)).toCompletableFuture());
      }

      // Lettuce checks the bound on its I/O thread: the refusals arrive within moments; no write can
      // time out (10 s), and none succeeds before the 3 s pause ends.
      long waiting = sent;
      for (int i = 0; i < 100 && waiting > RedisConnection.REQUEST_QUEUE_SIZE; i++) {
        Thread.sleep(50);
        waiting = writes.stream().filter(write -> !write.isDone()).count();
      }
      long refused = writes.stream().filter(CompletableFuture::isCompletedExceptionally).count();
      assertThat(waiting).as("writes held for Redis").isLessThanOrEqualTo(RedisConnection.REQUEST_QUEUE_SIZE);
      assertThat(refused).as("writes refused").isGreaterThanOrEqualTo(sent - RedisConnection.REQUEST_QUEUE_SIZE);
    }
  }

  private static long mgetCalls(RedisServer server) throws Exception {
    for (String line : server.cli("INFO", "commandstats").split("\\R")) {
      if (line.startsWith("cmdstat_mget:")) {
        return Long.parseLong(line.strip().replaceAll("^cmdstat_mget:calls=(\\d+),.*", "$1"));
      }
    }
    return 0;
  }

  @Test
  void get_withRedisNeverReachable_answersUnavailable() throws Exception {
    RedisServer doomed = RedisServer.start();
    String uri = doomed.uri();
    doomed.close();
    try (RedisStore unreachable = new RedisStore(new RedisSettings(uri, Duration.ofMillis(50)))) {
      assertThat(unreachable.get("a")).isNull();
      assertThat(unreachable.describe()).isEqualTo("redis " + uri + " (command timeout 50ms)");
    }
  }

  @Test
  void uriWithPassword_authenticates() throws Exception {
    try (RedisServer secured = RedisServer.start(List.of("--requirepass", "s3cret"));
        RedisStore withPassword = new RedisStore(new RedisSettings("redis://:s3cret@127.0.0.1:" + secured.port() + "/0", Duration.ofMillis(500)))) {
      awaitConnected(withPassword);
      withPassword.set("k", bytes("v"));

      assertThat(new String(withPassword.get("k")[0], StandardCharsets.UTF_8)).isEqualTo("v");
      assertThat(withPassword.describe()).isEqualTo("redis redis://:<masked>@127.0.0.1:" + secured.port() + "/0 (command timeout 500ms)");
    }
  }

  @Test
  void rediss_connectsOverTls(@TempDir Path certificates) throws Exception {
    Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
        "-subj", "/CN=127.0.0.1", "-keyout", certificates.resolve("key.pem").toString(),
        "-out", certificates.resolve("cert.pem").toString()).redirectErrorStream(true).start();
    openssl.getInputStream().readAllBytes();
    assertThat(openssl.waitFor()).as("openssl made a certificate").isZero();
    int tlsPort = RedisServer.freePort();
    try (RedisServer tls = RedisServer.start(List.of("--tls-port", String.valueOf(tlsPort),
            "--tls-cert-file", certificates.resolve("cert.pem").toString(),
            "--tls-key-file", certificates.resolve("key.pem").toString(),
            "--tls-ca-cert-file", certificates.resolve("cert.pem").toString(), "--tls-auth-clients", "no"));
        RedisStore overTls = new RedisStore(new RedisSettings(
            "rediss://127.0.0.1:" + tlsPort + "/0?verifyPeer=NONE", Duration.ofMillis(500)))) {
      awaitConnected(overTls);
      overTls.set("over-tls", bytes("yes"));

      assertThat(tls.cli("GET", "over-tls")).isEqualTo("yes");
    }
  }

  @Test
  void rediss_withAClientCertificate_andTheServerCheckedAgainstItsCa(@TempDir Path dir) throws Exception {
    openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=test-ca",
        "-keyout", "ca.key", "-out", "ca.crt");
    for (String name : List.of("server", "client")) {
      openssl(dir, "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=" + name, "-keyout", name + ".key", "-out", name + ".csr");
      Files.writeString(dir.resolve(name + ".ext"), name.equals("server") ? "subjectAltName=IP:127.0.0.1\n" : "extendedKeyUsage=clientAuth\n");
      openssl(dir, "x509", "-req", "-in", name + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-days", "1",
          "-extfile", name + ".ext", "-out", name + ".crt");
    }
    int tlsPort = RedisServer.freePort();
    String uri = "rediss://127.0.0.1:" + tlsPort + "/0"; // the server's certificate checked in full: CA and address
    try (RedisServer tls = RedisServer.start(List.of("--tls-port", String.valueOf(tlsPort),
            "--tls-cert-file", dir.resolve("server.crt").toString(), "--tls-key-file", dir.resolve("server.key").toString(),
            "--tls-ca-cert-file", dir.resolve("ca.crt").toString(), "--tls-auth-clients", "yes"));
        RedisStore withCertificate = new RedisStore(new RedisSettings(uri, Duration.ofMillis(500),
            new TlsFiles(dir.resolve("ca.crt"), dir.resolve("client.crt"), dir.resolve("client.key"))));
        RedisStore withoutCertificate = new RedisStore(new RedisSettings(uri, Duration.ofMillis(500),
            new TlsFiles(dir.resolve("ca.crt"), null, null)))) {
      awaitConnected(withCertificate);
      withCertificate.set("mutual-tls", bytes("yes"));

      assertThat(tls.cli("GET", "mutual-tls")).isEqualTo("yes");
      assertThat(withoutCertificate.get("mutual-tls")).as("the server refuses a client without a certificate").isNull();
      assertThat(withoutCertificate.isConnected()).isFalse();
    }
  }

  private static void openssl(Path dir, String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    Process openssl = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(openssl.waitFor()).as("openssl %s: %s", String.join(" ", args), out).isZero();
  }

  private static void awaitCount(java.util.concurrent.atomic.AtomicInteger count, int expected) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (count.get() < expected && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
  }

  /** Puts {@code redis} to sleep for {@code seconds} (DEBUG SLEEP); returns once that reached it, with the sleep's end. */
  private static CompletableFuture<String> putToSleep(RedisServer redis, String seconds) throws InterruptedException {
    CompletableFuture<String> sleeping = CompletableFuture.supplyAsync(() -> {
      try {
        return redis.cli("DEBUG", "SLEEP", seconds);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    Thread.sleep(300); // DEBUG SLEEP reaches the server first
    return sleeping;
  }

  /** Opens the breaker of {@code store}, whose Redis is asleep: the reads it takes fail. */
  private static void openBreaker(RedisStore store) {
    for (int i = 0; i < CircuitBreaker.FAILURES_TO_OPEN; i++) {
      assertThat(store.get("k")).isNull();
    }
    assertThat(store.isCircuitOpen()).isTrue();
  }

  private static void awaitConnected(RedisStore store) throws InterruptedException {
    for (int i = 0; i < 500 && !store.isConnected(); i++) {
      Thread.sleep(20);
    }
    assertThat(store.isConnected()).as("connected within 10s").isTrue();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
