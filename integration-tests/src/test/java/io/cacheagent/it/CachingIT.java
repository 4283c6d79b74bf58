package io.cacheagent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cacheagent.testkit.RedisEndpoint;
import io.cacheagent.testkit.RedisExtension;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The fixture shop run as users run it: a forked JVM with -javaagent:cache-agent.jar and a real Redis. */
@ExtendWith(RedisExtension.class)
class CachingIT {

  @TempDir
  Path dir;

  private Path config;
  private String keyPrefix;

  @BeforeEach
  void writeConfig(RedisEndpoint redis) throws Exception {
    // A fresh key prefix per test keeps tests apart on the shared server.
    keyPrefix = "it-" + UUID.randomUUID();
    config = Configs.write(dir, "cache-agent.yaml", Configs.shop(redis.uri(), keyPrefix));
  }

  @Test
  void find_repeated_isServedFromRedisWithoutRunningTheBody() throws Exception {
    try (AppProcess app = AppProcess.shop(config)) {
      app.awaitAgentReady(true);

      assertThat(app.call("find 1")).isEqualTo("Product{1,product-1,10} queries=1");
      assertThat(app.call("find 1")).isEqualTo("Product{1,product-1,10} queries=1");
      assertThat(app.call("find 2")).isEqualTo("Product{2,product-2,20} queries=2");
      assertThat(app.call("find 2")).isEqualTo("Product{2,product-2,20} queries=2");
    }
  }

  @Test
  void find_inSecondJvm_hitsWhatTheFirstStored() throws Exception {
    try (AppProcess first = AppProcess.shop(config)) {
      first.awaitAgentReady(true);
      assertThat(first.call("find 3")).isEqualTo("Product{3,product-3,30} queries=1");
      assertThat(first.call("find 3")).isEqualTo("Product{3,product-3,30} queries=1");
    }
    try (AppProcess second = AppProcess.shop(config)) {
      second.awaitAgentReady(true);

      assertThat(second.call("find 3")).isEqualTo("Product{3,product-3,30} queries=0");
    }
  }

  @Test
  void save_evictsTheEntryOfThatProductOnly() throws Exception {
    try (AppProcess app = AppProcess.shop(config)) {
      app.awaitAgentReady(true);
      app.call("find 1");
      app.call("find 2");

      assertThat(app.call("save 1 renamed")).isEqualTo("saved queries=3");
      assertThat(app.call("find 1")).isEqualTo("Product{1,renamed,1} queries=4");
      assertThat(app.call("find 1")).isEqualTo("Product{1,renamed,1} queries=4");
      assertThat(app.call("find 2")).isEqualTo("Product{2,product-2,20} queries=4");
    }
  }

  @Test
  void writeThatThrows_evictsNothing_andItsExceptionPassesThrough() throws Exception {
    try (AppProcess app = AppProcess.shop(config)) {
      app.awaitAgentReady(true);
      app.call("find 1");

      assertThat(app.call("saveBroken 1"))
          .isEqualTo("threw java.lang.IllegalStateException: disk full while saving 1 queries=2");
      assertThat(app.call("find 1")).isEqualTo("Product{1,product-1,10} queries=2");
    }
  }

  @Test
  void deleteAll_dropsEveryEntryOfTheMethod() throws Exception {
    try (AppProcess app = AppProcess.shop(config)) {
      app.awaitAgentReady(true);
      app.call("find 1");
      app.call("find 2");

      assertThat(app.call("deleteAll")).isEqualTo("deleted queries=3");
      assertThat(app.call("find 1")).isEqualTo("null queries=4");
      assertThat(app.call("find 2")).isEqualTo("null queries=5");
    }
  }

  @Test
  void exception_passesThroughUntouched_andIsNeverCached() throws Exception {
    try (AppProcess app = AppProcess.shop(config)) {
      app.awaitAgentReady(true);

      assertThat(app.call("fail 9")).isEqualTo("threw java.lang.IllegalStateException: no product 9 queries=1");
      assertThat(app.call("fail 9")).isEqualTo("threw java.lang.IllegalStateException: no product 9 queries=2");
    }
  }

  @Test
  void nullResult_isNotCachedByDefault() throws Exception {
    try (AppProcess app = AppProcess.shop(config)) {
      app.awaitAgentReady(true);

      assertThat(app.call("find 99")).isEqualTo("null queries=1");
      assertThat(app.call("find 99")).isEqualTo("null queries=2");
    }
  }

  @Test
  void staticPrimitiveArrayAndListResults_areCached() throws Exception {
    try (AppProcess app = AppProcess.shop(config)) {
      app.awaitAgentReady(true);

      assertThat(app.call("price 3")).isEqualTo("4.5 queries=1");
      assertThat(app.call("price 3")).isEqualTo("4.5 queries=1");
      assertThat(app.call("ids")).isEqualTo("[1, 2, 3, 4, 5] queries=2");
      assertThat(app.call("ids")).isEqualTo("[1, 2, 3, 4, 5] queries=2");
      assertThat(app.call("search product 2")).isEqualTo("[Product{1,product-1,10}, Product{2,product-2,20}] queries=3");
      assertThat(app.call("search product 2")).isEqualTo("[Product{1,product-1,10}, Product{2,product-2,20}] queries=3");
    }
  }

  @Test
  void entry_expiresAfterItsTtl() throws Exception {
    try (AppProcess app = AppProcess.shop(config)) {
      app.awaitAgentReady(true);
      assertThat(app.call("search product 1")).isEqualTo("[Product{1,product-1,10}] queries=1");
      assertThat(app.call("search product 1")).isEqualTo("[Product{1,product-1,10}] queries=1");

      Thread.sleep(1_500); // search has ttl: 1s

      assertThat(app.call("search product 1")).isEqualTo("[Product{1,product-1,10}] queries=2");
    }
  }

  @Test
  void foreignBytesUnderAKey_areAMiss_andGetReplaced(RedisEndpoint redis) throws Exception {
    assumeTrue(redis.server() != null, "needs a server this run started");
    String key = keyPrefix + ":com.acme.shop.ProductRepository#findById(long):k2:n1";
    redis.server().cli("SET", key, "{\"written\":\"by another app\"}");
    try (AppProcess app = AppProcess.shop(config)) {
      app.awaitAgentReady(true);

      assertThat(app.call("find 1")).isEqualTo("Product{1,product-1,10} queries=1");
      assertThat(app.call("find 1")).isEqualTo("Product{1,product-1,10} queries=1");
      assertThat(app.log()).contains("treated as a miss and replaced").doesNotContain("Exception in");
    }
  }

  @Test
  void concurrentMissesOfOneKey_runTheMethodOnce() throws Exception {
    try (AppProcess app = AppProcess.shop(config)) {
      app.awaitAgentReady(true);

      assertThat(app.call("burst 8 2")).isEqualTo("8 answers [Product{2,product-2,20}] queries=1");
      assertThat(app.call("burst 8 2")).isEqualTo("8 answers [Product{2,product-2,20}] queries=1");
      assertThat(app.call("burst 8 3")).isEqualTo("8 answers [Product{3,product-3,30}] queries=2");
    }
  }

  @Test
  void stampedeLock_twoJvmsMissingAtOnce_runTheMethodOnceBetweenThem() throws Exception {
    try (AppProcess first = AppProcess.shop(config); AppProcess second = AppProcess.shop(config)) {
      first.awaitAgentReady(true);
      second.awaitAgentReady(true);

      CompletableFuture<String> inFirst = CompletableFuture.supplyAsync(() -> call(first, "burst 4 4"));
      CompletableFuture<String> inSecond = CompletableFuture.supplyAsync(() -> call(second, "burst 4 4"));

      String answerOfFirst = inFirst.get(30, TimeUnit.SECONDS);
      String answerOfSecond = inSecond.get(30, TimeUnit.SECONDS);
      assertThat(answerOfFirst).startsWith("4 answers [Product{4,product-4,40}] queries=");
      assertThat(answerOfSecond).startsWith("4 answers [Product{4,product-4,40}] queries=");
      assertThat(AppProcess.queriesIn(answerOfFirst) + AppProcess.queriesIn(answerOfSecond)).as("queries of both JVMs").isEqualTo(1);
    }
  }

  private static String call(AppProcess app, String command) {
    try {
      return app.call(command);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void concurrentMisses_withoutTheAgent_eachRunTheMethod() throws Exception {
    try (AppProcess app = AppProcess.shop(null)) {
      assertThat(app.call("burst 8 2")).isEqualTo("8 answers [Product{2,product-2,20}] queries=8");
    }
  }

  @Test
  void redisAbsent_appAnswersExactlyAsWithoutTheAgent() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    Path absent = Configs.write(dir, "absent.yaml", Configs.shop("redis://127.0.0.1:" + closedPort + "/0", "absent"));
    try (AppProcess withAgent = AppProcess.shop(absent); AppProcess without = AppProcess.shop(null)) {
      withAgent.awaitAgentReady(false).awaitLog("cannot connect to redis://127.0.0.1:" + closedPort + "/0");

      for (String command : new String[] {"find 1", "find 1", "save 1 x", "find 1", "fail 2", "price 2", "price 2", "deleteAll", "find 1"}) {
        assertThat(withAgent.call(command)).as(command).isEqualTo(without.call(command));
      }
    }
  }

  @Test
  void noRedisSection_cachesInProcess() throws Exception {
    Path local = Configs.write(dir, "local.yaml", Configs.shop(null, null));
    try (AppProcess app = AppProcess.shop(local)) {
      app.awaitAgentReady(false).awaitLog("store: in-process store (no redis configured)");

      assertThat(app.call("find 1")).isEqualTo("Product{1,product-1,10} queries=1");
      assertThat(app.call("find 1")).isEqualTo("Product{1,product-1,10} queries=1");
      assertThat(app.call("save 1 local")).isEqualTo("saved queries=2");
      assertThat(app.call("find 1")).isEqualTo("Product{1,local,1} queries=3");
      assertThat(app.call("find 1")).isEqualTo("Product{1,local,1} queries=3");
    }
  }

  @Test
  void disabledMethod_runsEveryTime() throws Exception {
    Path disabled = Configs.write(dir, "disabled.yaml", """
        methods:
          - method: com.acme.shop.ProductRepository#findById(long)
            enabled: false
        """);
    try (AppProcess app = AppProcess.shop(disabled)) {
      app.awaitAgentReady(false);

      assertThat(app.call("find 1")).isEqualTo("Product{1,product-1,10} queries=1");
      assertThat(app.call("find 1")).isEqualTo("Product{1,product-1,10} queries=2");
    }
  }

  @Test
  void methodsReturningFutures_cacheTheirValue_butNeitherAFailureNorACancellation(RedisEndpoint redis) throws Exception {
    Path async = Configs.write(dir, "async.yaml", """
        redis:
          uri: %s
          keyPrefix: %s
        methods:
          - method: com.acme.shop.ProductRepository#findAsync(long)
          - method: com.acme.shop.ProductRepository#findStage(long)
          - method: com.acme.shop.ProductRepository#failLater(long)
          - method: com.acme.shop.ProductRepository#cancelledLater(long)
          - method: com.acme.shop.ProductRepository#findRaw(long)
        """.formatted(redis.uri(), keyPrefix));
    try (AppProcess app = AppProcess.shop(async)) {
      app.awaitAgentReady(true);

      // The value is stored once the future completed, on the thread that completed it.
      assertThat(app.call("findAsync 1")).endsWith("Product{1,product-1,10} queries=1");
      assertThat(awaitHit(app, "findAsync 1")).as("a hit: an already completed future of the value")
          .startsWith("ready Product{1,product-1,10} ");
      assertThat(app.call("findStage 2")).contains("Product{2,product-2,20}");
      assertThat(awaitHit(app, "findStage 2")).startsWith("ready Product{2,product-2,20} ");

      int queries = AppProcess.queriesIn(app.call("queries"));
      for (int call = 1; call <= 3; call++) {
        assertThat(app.call("failLater 1")).as("a failed future: never cached")
            .isEqualTo("threw java.util.concurrent.CompletionException: java.lang.IllegalStateException: no stock for 1 queries="
                + (queries + call));
      }
      for (int call = 1; call <= 3; call++) {
        // "CancellationException: join" on Java 25, whose join() says where it was thrown; the same without the agent
        assertThat(app.call("cancelledLater 1")).as("a cancelled future: never cached")
            .matches("threw java\\.util\\.concurrent\\.CancellationException(: join)? queries=" + (queries + 3 + call));
      }
      assertThat(app.call("findRaw 1")).isEqualTo("Product{1,product-1,10} queries=" + (queries + 7));
      assertThat(app.call("findRaw 1")).isEqualTo("Product{1,product-1,10} queries=" + (queries + 8));
      assertThat(app.log()).containsOnlyOnce("matches com.acme.shop.ProductRepository#findRaw(long), which returns"
          + " java.util.concurrent.CompletableFuture without naming the type of its value: not cached")
          .doesNotContain("cannot be serialized").doesNotContain("internal error");
    }
  }

  @Test
  void concurrentMissesOfAMethodThatReturnsAFuture_shareOneLoad_andWhenItFailsEachRunsTheMethodItself(RedisEndpoint redis)
      throws Exception {
    Path async = Configs.write(dir, "async-burst.yaml", """
        redis:
          uri: %s
          keyPrefix: %s
        metrics:
          statsInterval: 1s
        methods:
          - method: com.acme.shop.ProductRepository#slowAsync(long)
          - method: com.acme.shop.ProductRepository#flakyAsync(long)
        """.formatted(redis.uri(), keyPrefix));
    try (AppProcess app = AppProcess.shop(async); AppProcess without = AppProcess.shop(null)) {
      app.awaitAgentReady(true);

      assertThat(app.call("asyncBurst 8 2")).isEqualTo("8 answers [Product{2,product-2,20}] queries=1");
      app.awaitLog("stats: 2 cached methods, 8 calls: 0 hits (0 near), 1 misses, 7 coalesced, 0 uncached,");
      assertThat(without.call("asyncBurst 8 2")).isEqualTo("8 answers [Product{2,product-2,20}] queries=8");

      // The first call's future fails: the calls that shared its load each run the method again, uncached.
      String flaky = "4 answers [Product{3,product-3,30}, threw java.util.concurrent.CompletionException:"
          + " java.lang.IllegalStateException: flaky 3] queries=";
      assertThat(app.call("flakyBurst 4 3")).isEqualTo(flaky + 5);
      app.awaitLog("stats: 2 cached methods, 12 calls: 0 hits (0 near), 2 misses, 7 coalesced, 3 uncached,");
      assertThat(without.call("flakyBurst 4 3")).isEqualTo(flaky + 12);
      assertThat(app.log()).doesNotContain("internal error");
    }
  }

  @Test
  void refreshAhead_reloadsAnEntryInUseBeforeItExpires_andAWriteWhileItReloadsWins(RedisEndpoint redis) throws Exception {
    Path refresh = Configs.write(dir, "refresh.yaml", """
        redis:
          uri: %s
          keyPrefix: %s
        defaults:
          ttl: 3s
          ttlJitter: 0%%
          refreshAhead: 20%%
        methods:
          - method: com.acme.shop.ProductRepository#slowFind(long)
          - method: com.acme.shop.ProductRepository#slowRead(long)
            evictOn:
              - method: com.acme.shop.ProductRepository#save(com.acme.shop.Product)
                key: args[0].id
        """.formatted(redis.uri(), keyPrefix));
    try (AppProcess app = AppProcess.shop(refresh)) {
      app.awaitAgentReady(true);

      // slowFind waits 300 ms before it reads: a reload's query counts only after the answer line.
      assertThat(app.call("slowFind 2")).isEqualTo("Product{2,product-2,20} queries=1");
      long loaded = System.nanoTime(); // the entry was stored before the answer came
      TimeUnit.MILLISECONDS.sleep(800); // past 20% of its 3 s
      assertThat(app.call("slowFind 2")).as("a hit: the entry, at once").isEqualTo("Product{2,product-2,20} queries=1");
      awaitQueries(app, 2); // the reload, in the background
      TimeUnit.NANOSECONDS.sleep(loaded + TimeUnit.MILLISECONDS.toNanos(3600) - System.nanoTime());
      assertThat(app.call("slowFind 2")).as("past the first entry's ttl: a hit on the reloaded one")
          .isEqualTo("Product{2,product-2,20} queries=2");

      // slowRead reads, then waits 1 s: a reload that read the row before a write stores after it.
      assertThat(app.call("slowRead 1")).startsWith("Product{1,product-1,10} ");
      TimeUnit.MILLISECONDS.sleep(800);
      int before = AppProcess.queriesIn(app.call("queries"));
      assertThat(app.call("slowRead 1")).startsWith("Product{1,product-1,10} "); // a hit: the reload starts
      awaitQueries(app, before + 1); // the reload read the old row, and waits
      assertThat(app.call("save 1 renamed")).isEqualTo("saved queries=" + (before + 2));
      TimeUnit.MILLISECONDS.sleep(1300); // the reload tried to store, over bytes the write replaced

      assertThat(app.call("slowRead 1")).as("the write won: a miss, which reads the new row")
          .isEqualTo("Product{1,renamed,1} queries=" + (before + 3));
      assertThat(app.log()).doesNotContain("refresh ahead threw").doesNotContain("internal error");
    }
  }

  private static void awaitQueries(AppProcess app, int queries) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (AppProcess.queriesIn(app.call("queries")) < queries) {
      assertThat(System.nanoTime()).as("no reload within 10 s").isLessThan(deadline);
      TimeUnit.MILLISECONDS.sleep(20);
    }
  }

  @Test
  void batchMethods_loadOnlyTheMissingElements_andAListThatSkipsIdsIsMatchedByIdOrNotCached(RedisEndpoint redis) throws Exception {
    Path batch = Configs.write(dir, "batch.yaml", """
        redis:
          uri: %s
          keyPrefix: %s
        methods:
          - method: com.acme.shop.ProductRepository#listByIds(java.util.List)
            batch: args[0]
            cacheNulls: true
            evictOn:
              - method: com.acme.shop.ProductRepository#save(com.acme.shop.Product)
                key: args[0].id
          - method: com.acme.shop.ProductRepository#findMap(java.util.Set)
            batch: args[0]
          - method: com.acme.shop.ProductRepository#findExisting(java.util.Collection)
            batch: args[0]
          - method: com.acme.shop.ProductRepository#findWhereIdIn(java.util.Collection)
            batch:
              argument: args[0]
              valueId: id
            cacheNulls: true
          - method: com.acme.shop.ProductRepository#search(java.lang.String,int)
            batch: args[0]
        """.formatted(redis.uri(), keyPrefix));
    try (AppProcess app = AppProcess.shop(batch)) {
      app.awaitAgentReady(true);

      assertThat(app.call("findByIds 1,2")).isEqualTo("[Product{1,product-1,10}, Product{2,product-2,20}] asked=[1, 2] queries=1");
      assertThat(app.call("findByIds 3,2,9,1")).as("only the missing ones asked for, merged in the caller's order")
          .isEqualTo("[Product{3,product-3,30}, Product{2,product-2,20}, null, Product{1,product-1,10}] asked=[3, 9] queries=2");
      assertThat(app.call("findByIds 9,1,3")).as("every element cached, a null among them")
          .isEqualTo("[null, Product{1,product-1,10}, Product{3,product-3,30}] asked=[3, 9] queries=2");
      app.call("save 2 renamed");
      assertThat(app.call("findByIds 1,2,3")).as("the write evicted its element only")
          .isEqualTo("[Product{1,product-1,10}, Product{2,renamed,1}, Product{3,product-3,30}] asked=[2] queries=4");

      assertThat(app.call("findMap 1,9")).isEqualTo("{1=Product{1,product-1,10}} asked=[1, 9] queries=5");
      assertThat(app.call("findMap 9,4,1")).as("an id the map lacked is asked again; the found one is not")
          .isEqualTo("{4=Product{4,product-4,40}, 1=Product{1,product-1,10}} asked=[9, 4] queries=6");

      assertThat(app.call("findExisting 1")).isEqualTo("[Product{1,product-1,10}] asked=[1] queries=7");
      assertThat(app.call("findExisting 1,9")).as("asked for 9 alone, it returned nothing: it ran again with the caller's ids")
          .isEqualTo("[Product{1,product-1,10}] asked=[1, 9] queries=9");
      assertThat(app.call("findExisting 1")).as("a List that cannot be lined up: uncached from then on")
          .isEqualTo("[Product{1,product-1,10}] asked=[1] queries=10");

      assertThat(app.call("findWhereIdIn 3,9,1")).as("all missing: as the query returns it, in the table's order")
          .isEqualTo("[Product{1,product-1,10}, Product{3,product-3,30}] asked=[3, 9, 1] queries=11");
      assertThat(app.call("findWhereIdIn 9,2,1")).as("matched by id; 9 cached as absent")
          .isEqualTo("[Product{2,renamed,1}, Product{1,product-1,10}] asked=[2] queries=12");
      assertThat(app.call("findWhereIdIn 1,9,3")).isEqualTo("[Product{1,product-1,10}, Product{3,product-3,30}] asked=[2] queries=12");
      assertThat(app.log()).containsOnlyOnce("ProductRepository#findExisting(java.util.Collection): asked for 1 elements, it returned"
              + " a List of 0, so its values cannot be told apart by element: nothing of it was cached, and it runs uncached from"
              + " now on")
          .contains("matches com.acme.shop.ProductRepository#search(java.lang.String,int), which takes a java.lang.String as"
              + " args[0], which batch names, but batch needs a Collection")
          .doesNotContain("internal error");
    }
  }

  @Test
  void aBatchWithEntriesOf_sharesEntriesAndEvictionsWithTheSingleItemMethod(RedisEndpoint redis) throws Exception {
    Path shared = Configs.write(dir, "shared.yaml", """
        redis:
          uri: %s
          keyPrefix: %s
        methods:
          - method: com.acme.shop.ProductRepository#findById(long)
            evictOn:
              - method: com.acme.shop.ProductRepository#save(com.acme.shop.Product)
                key: args[0].id
          - method: com.acme.shop.ProductRepository#listByIds(java.util.List)
            batch:
              argument: args[0]
              entriesOf: com.acme.shop.ProductRepository#findById(long)
        """.formatted(redis.uri(), keyPrefix));
    try (AppProcess app = AppProcess.shop(shared)) {
      app.awaitAgentReady(true);

      assertThat(app.call("find 1")).isEqualTo("Product{1,product-1,10} queries=1");
      assertThat(app.call("findByIds 1,2")).as("1 is findById's entry")
          .isEqualTo("[Product{1,product-1,10}, Product{2,product-2,20}] asked=[2] queries=2");
      assertThat(awaitHit(app, "find 2")).as("the batch's entry of 2 serves findById").isEqualTo("Product{2,product-2,20} queries=2");
      app.call("save 1 renamed");
      assertThat(app.call("findByIds 1,2")).as("findById's eviction reaches the batch")
          .isEqualTo("[Product{1,renamed,1}, Product{2,product-2,20}] asked=[1] queries=4");
      assertThat(app.call("find 1")).isEqualTo("Product{1,renamed,1} queries=4");
      assertThat(app.log()).doesNotContain("internal error");
    }
  }

  /** Calls {@code command} until a call runs no query (the store of the value before it has landed); that call's answer. */
  private static String awaitHit(AppProcess app, String command) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    String before = app.call("queries");
    while (true) {
      String answer = app.call(command);
      if (AppProcess.queriesIn(answer) == AppProcess.queriesIn(before)) {
        return answer;
      }
      assertThat(System.nanoTime()).as("a hit within 5 s: " + answer).isLessThan(deadline);
      before = answer;
      Thread.sleep(50);
    }
  }

  @Test
  void signatureWithWrongParameterTypes_isReportedWithTheMethodsThatExist() throws Exception {
    Path typo = Configs.write(dir, "typo.yaml", """
        methods:
          - method: com.acme.shop.ProductRepository#findById(int)
        """);
    try (AppProcess app = AppProcess.shop(typo)) {
      app.awaitAgentReady(false).awaitLog("that rule does nothing");

      assertThat(app.log()).contains("[cache-agent] methods[0].method \"com.acme.shop.ProductRepository#findById(int)\" matches no method:"
          + " no overload with these parameter types; com.acme.shop.ProductRepository declares"
          + " com.acme.shop.ProductRepository#findById(long); that rule does nothing");
      assertThat(app.call("find 1")).isEqualTo("Product{1,product-1,10} queries=1");
    }
  }

  @Test
  void badConfig_isReportedWithPosition_andAppRunsUncached() throws Exception {
    Path bad = Configs.write(dir, "bad.yaml", """
        methods:
          - method: com.acme.shop.ProductRepository#findById(long)
            ttl: 10 minutes
        """);
    try (AppProcess app = AppProcess.shop(bad)) {
      app.awaitLog("1 config error; cache-agent is disabled and the application runs without caching");

      assertThat(app.log()).contains(
          "[cache-agent] bad.yaml:3:10: methods[0].ttl \"10 minutes\" is not a duration; use 250ms, 30s, 10m, 1h, 1d or PT10M");
      assertThat(app.call("find 1")).isEqualTo("Product{1,product-1,10} queries=1");
      assertThat(app.call("find 1")).isEqualTo("Product{1,product-1,10} queries=2");
    }
  }

  @Test
  void badConfig_inStrictMode_failsTheStart() throws Exception {
    Path bad = Configs.withUnknownKey(dir);
    try (AppProcess app = AppProcess.shop(bad, "-Dcache.agent.strict=true")) {
      assertThat(app.waitForExit()).as("a plain exit, not an abort").isEqualTo(1);
      assertThat(app.log()).contains(Configs.UNKNOWN_KEY_ERROR)
          .contains("1 config error; strict mode (cache.agent.strict=true) stops the start")
          .contains("[cache-agent] strict mode (cache.agent.strict=true): the configuration has errors (above); the JVM"
              + " exits with code 1")
          .doesNotContain("FATAL ERROR").doesNotContain("Exception");
    }
  }

  @Test
  void missingConfigFile_saysSo_andAppRuns() throws Exception {
    try (AppProcess app = AppProcess.shop(dir.resolve("nowhere.yaml"))) {
      app.awaitLog("cannot read the configuration");

      assertThat(app.call("find 1")).isEqualTo("Product{1,product-1,10} queries=1");
    }
  }
}
