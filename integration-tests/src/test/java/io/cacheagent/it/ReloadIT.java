package io.cacheagent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.cacheagent.testkit.RedisServer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Edits of the YAML file of a running app, applied by the agent without a restart. */
class ReloadIT {

  private static RedisServer redis;

  @TempDir
  Path dir;

  private Path config;
  private String yaml;

  @BeforeAll
  static void startRedis() throws Exception {
    redis = RedisServer.start();
  }

  @AfterAll
  static void stopRedis() throws Exception {
    redis.close();
  }

  @BeforeEach
  void writeConfig() throws Exception {
    yaml = Configs.shop(redis.uri(), "reload-" + System.nanoTime());
    config = Configs.write(dir, "shop.yaml", yaml);
  }

  private AppProcess startShop() throws Exception {
    AppProcess app = AppProcess.shop(config);
    app.awaitAgentReady(true);
    return app;
  }

  private void edit(String from, String to) throws Exception {
    assertThat(yaml).contains(from);
    yaml = yaml.replace(from, to);
    Configs.write(dir, "shop.yaml", yaml);
  }

  @Test
  void switchedOff_nextCallRunsTheMethod_switchedOnAgain_itIsCachedAgain() throws Exception {
    try (AppProcess app = startShop()) {
      app.call("find 1");
      assertThat(app.call("find 1")).isEqualTo("Product{1,product-1,10} queries=1");

      edit("#findById(long)\n    ttl: 10m\n", "#findById(long)\n    ttl: 10m\n    enabled: false\n");
      app.awaitLog("[cache-agent] reloaded shop.yaml: com.acme.shop.ProductRepository#findById(long): enabled true -> false");
      assertThat(app.call("find 1")).isEqualTo("Product{1,product-1,10} queries=2");
      assertThat(app.call("find 1")).isEqualTo("Product{1,product-1,10} queries=3");

      edit("    enabled: false\n", "");
      app.awaitLog("[cache-agent] reloaded shop.yaml: com.acme.shop.ProductRepository#findById(long): enabled false -> true");
      assertThat(app.call("find 1")).as("the entry stored before is served again").isEqualTo("Product{1,product-1,10} queries=3");
    }
  }

  @Test
  void serializationAllowExtended_aValueThatWasRefusedIsCached_withoutARestart() throws Exception {
    edit("    stampedeLock: true\n", "    stampedeLock: true\n  - method: com.acme.shop.ProductRepository#location(int)\n");
    try (AppProcess app = startShop()) {
      assertThat(app.call("location 3")).isEqualTo("java.awt.Point[x=3,y=3] queries=1");
      assertThat(app.call("location 3")).as("java.awt.Point may not be cached").isEqualTo("java.awt.Point[x=3,y=3] queries=2");
      assertThat(app.log()).contains("it holds a java.awt.Point, which entries of this method may not hold");

      edit("methods:\n", "serialization:\n  allow: [java.awt.Point]\nmethods:\n");
      app.awaitLog("[cache-agent] reloaded shop.yaml: serialization.allow [] -> [java.awt.Point]");

      assertThat(app.call("location 4")).isEqualTo("java.awt.Point[x=4,y=4] queries=3");
      assertThat(app.call("location 4")).isEqualTo("java.awt.Point[x=4,y=4] queries=3");
    }
  }

  @Test
  void ttlChanged_newEntriesGetTheNewTtl() throws Exception {
    try (AppProcess app = startShop()) {
      edit("#search(String, int)\n    ttl: 1s\n", "#search(String, int)\n    ttl: 10m\n");
      app.awaitLog("[cache-agent] reloaded shop.yaml: com.acme.shop.ProductRepository#search(java.lang.String,int): ttl 1s -> 10m");

      app.call("search product 3");
      Thread.sleep(1_500); // past the old TTL

      assertThat(app.call("search product 3")).endsWith("queries=1");
    }
  }

  @Test
  void methodAdded_isCachedInTheRunningApp() throws Exception {
    edit("  - method: com.acme.shop.ProductRepository#priceOf(int)\n", "");
    try (AppProcess app = startShop()) {
      assertThat(app.call("price 3")).isEqualTo("4.5 queries=1");
      assertThat(app.call("price 3")).isEqualTo("4.5 queries=2");

      edit("  - method: com.acme.shop.ProductRepository#ids()\n",
          "  - method: com.acme.shop.ProductRepository#ids()\n  - method: com.acme.shop.ProductRepository#priceOf(int)\n");
      app.awaitLog("[cache-agent] reloaded shop.yaml: + com.acme.shop.ProductRepository#priceOf(int) (ttl 5m)");

      assertThat(app.call("price 3")).isEqualTo("4.5 queries=3");
      assertThat(app.call("price 3")).isEqualTo("4.5 queries=3");
    }
  }

  @Test
  void methodRemoved_runsUncachedFromTheNextCall() throws Exception {
    try (AppProcess app = startShop()) {
      app.call("price 3");
      assertThat(app.call("price 3")).isEqualTo("4.5 queries=1");

      edit("  - method: com.acme.shop.ProductRepository#priceOf(int)\n", "");
      app.awaitLog("[cache-agent] reloaded shop.yaml: - com.acme.shop.ProductRepository#priceOf(int) (no longer cached)");

      assertThat(app.call("price 3")).isEqualTo("4.5 queries=2");
      assertThat(app.call("price 3")).isEqualTo("4.5 queries=3");
    }
  }

  @Test
  void invalidEdit_isReportedAsAtStart_andTheRunningConfigurationStaysInForce() throws Exception {
    try (AppProcess app = startShop()) {
      app.call("find 1");

      edit("#findById(long)\n    ttl: 10m\n", "#findById(long)\n    ttl: 10 minutes\n    enabled: false\n");
      app.awaitLog("1 config error in the changed shop.yaml; the running configuration stays in force");

      assertThat(app.log()).contains("[cache-agent] shop.yaml:7:10: methods[0].ttl \"10 minutes\" is not a duration;"
          + " use 250ms, 30s, 10m, 1h, 1d or PT10M");
      assertThat(app.call("find 1")).as("still cached: enabled: false was not applied").isEqualTo("Product{1,product-1,10} queries=1");
    }
  }

  @Test
  void invalidAtStart_theAgentStartsOnceTheFileIsFixed() throws Exception {
    edit("#findById(long)\n    ttl: 10m\n", "#findById(long)\n    ttl: 10 minutes\n");
    try (AppProcess app = AppProcess.shop(config)) {
      app.awaitLog("watching shop.yaml: once it is valid, the agent starts");
      assertThat(app.call("find 1")).isEqualTo("Product{1,product-1,10} queries=1");
      assertThat(app.call("find 1")).isEqualTo("Product{1,product-1,10} queries=2");

      edit("ttl: 10 minutes", "ttl: 10m");
      app.awaitAgentReady(true);

      app.call("find 1");
      assertThat(app.call("find 1")).isEqualTo("Product{1,product-1,10} queries=3");
    }
  }

  @Test
  void missingAtStart_theAgentStartsOnceTheFileAppears() throws Exception {
    java.nio.file.Files.delete(config);
    try (AppProcess app = AppProcess.shop(config)) {
      app.awaitLog("watching shop.yaml: once it is readable and valid, the agent starts");
      assertThat(app.call("find 1")).isEqualTo("Product{1,product-1,10} queries=1");
      assertThat(app.call("find 1")).isEqualTo("Product{1,product-1,10} queries=2");

      Configs.write(dir, "shop.yaml", yaml); // mounted late, as a ConfigMap may be
      app.awaitAgentReady(true);

      app.call("find 1");
      assertThat(app.call("find 1")).isEqualTo("Product{1,product-1,10} queries=3");
    }
  }
}
