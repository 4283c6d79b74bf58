package io.cacheagent.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.cacheagent.config.RedisSettings;
import io.cacheagent.testkit.RedisServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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
  void get_whileRedisIsBusyPastTheTimeout_answersUnavailable() throws Exception {
    CompletableFuture<String> sleeping = CompletableFuture.supplyAsync(() -> {
      try {
        return server.cli("DEBUG", "SLEEP", "1.5");
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    Thread.sleep(300); // let DEBUG SLEEP reach the server first

    assertThat(store.get("a")).isNull();

    sleeping.join();
    assertThat(store.get("a")).isNotNull();
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
    try (RedisServer secured = RedisServer.start(java.util.List.of("--requirepass", "s3cret"));
        RedisStore withPassword = new RedisStore(new RedisSettings("redis://:s3cret@127.0.0.1:" + secured.port() + "/0", Duration.ofMillis(500)))) {
      awaitConnected(withPassword);
      withPassword.set("k", bytes("v"));

      assertThat(new String(withPassword.get("k")[0], StandardCharsets.UTF_8)).isEqualTo("v");
      assertThat(withPassword.describe()).isEqualTo("redis redis://:<masked>@127.0.0.1:" + secured.port() + "/0 (command timeout 500ms)");
    }
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
