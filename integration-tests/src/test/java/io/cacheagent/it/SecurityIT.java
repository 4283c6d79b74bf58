package io.cacheagent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.cacheagent.testkit.RedisServer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What someone who can read or write Redis, but holds none of the agent's keys, can learn and change. */
class SecurityIT {

  private static final String SIGNING_KEY = "signing-key-known-to-the-shop-only";
  private static final String KEY_HASH_SECRET = "key-hash-secret-known-to-the-shop";

  private static RedisServer redis;

  @TempDir
  Path dir;

  @BeforeAll
  static void startRedis() throws Exception {
    redis = RedisServer.start();
  }

  @AfterAll
  static void stopRedis() throws Exception {
    redis.close();
  }

  private AppProcess shop(String yaml, Map<String, String> env) throws Exception {
    Path config = Configs.write(dir, "cache-agent-" + UUID.randomUUID() + ".yaml", yaml);
    return AppProcess.start(config, List.of(), AppProcess.appClassPath(), "com.acme.shop.ShopApp", env)
        .awaitAgentReady(true);
  }

  /** Rewrites, in every entry under {@code keyPrefix}, the text "product-" into "tampered": a product's name. */
  private static int tamperWithNames(String keyPrefix) throws Exception {
    // Kryo writes ASCII with the high bit set on the last character; "product-" is never the end of one.
    return Integer.parseInt(redis.cli("EVAL", """
        local n = 0
        for _, key in ipairs(redis.call('KEYS', ARGV[1])) do
          local planted, count = string.gsub(redis.call('GET', key), 'product%-', 'tampered')
          if count > 0 then
            redis.call('SET', key, planted, 'KEEPTTL')
            n = n + count
          end
        end
        return n""", "0", keyPrefix + ":*ProductRepository#findById*"));
  }

  @Test
  void signingOn_aTamperedEntryOfAnAllowedClassIsNotServed_whileWithoutSigningItIs() throws Exception {
    for (boolean signing : new boolean[] {false, true}) {
      String keyPrefix = "security-" + UUID.randomUUID();
      Map<String, String> env = signing ? Map.of("CACHE_AGENT_SIGNING_KEY", SIGNING_KEY) : Map.of();
      try (AppProcess app = shop(Configs.shop(redis.uri(), keyPrefix), env)) {
        assertThat(app.call("find 1")).isEqualTo("Product{1,product-1,10} queries=1");
        assertThat(app.call("find 1")).isEqualTo("Product{1,product-1,10} queries=1");

        assertThat(tamperWithNames(keyPrefix)).as("entries changed in Redis").isEqualTo(1);

        if (!signing) {
          assertThat(app.call("find 1")).as("without signing, the planted value is served")
              .isEqualTo("Product{1,tampered1,10} queries=1");
          continue;
        }
        assertThat(app.call("find 1")).as("refused: the method runs").isEqualTo("Product{1,product-1,10} queries=2");
        assertThat(app.call("find 1")).as("and its result replaced the entry").isEqualTo("Product{1,product-1,10} queries=2");
        app.awaitLog("an entry is not signed with this agent's signing key"); // standard error is read apart from the answers
        assertThat(app.log())
            .contains("entries signed with CACHE_AGENT_SIGNING_KEY (fingerprint ")
            .contains("an entry is not signed with this agent's signing key")
            .doesNotContain(SIGNING_KEY);
      }
    }
  }

  @Test
  void signingOn_anOldSignedEntryPutBackWithoutExpiry_isServedNoLongerThanItsTtlAndTheClockSkew() throws Exception {
    String keyPrefix = "security-" + UUID.randomUUID();
    String key = keyPrefix + ":com.acme.shop.ProductRepository#findById(long):k2:n1";
    String yaml = Configs.shop(redis.uri(), keyPrefix).replaceFirst("ttl: 10m", "ttl: 2s");
    try (AppProcess app = shop(yaml, Map.of("CACHE_AGENT_SIGNING_KEY", SIGNING_KEY))) {
      assertThat(app.call("find 1")).isEqualTo("Product{1,product-1,10} queries=1");
      long signed = System.nanoTime();
      redis.cli("EVAL", "return redis.call('SET', KEYS[1] .. ':copy', redis.call('GET', KEYS[1]))", "1", key);
      assertThat(app.call("save 1 renamed")).isEqualTo("saved queries=2");

      // Someone who can write to Redis puts the old entry back, with no expiry.
      redis.cli("EVAL", "return redis.call('SET', KEYS[1], redis.call('GET', KEYS[1] .. ':copy'))", "1", key);
      assertThat(app.call("find 1")).as("within its ttl, a replay is served (docs/security.md says so)")
          .isEqualTo("Product{1,product-1,10} queries=2");

      long pastExpiry = signed + TimeUnit.SECONDS.toNanos(2) + TimeUnit.SECONDS.toNanos(5) + TimeUnit.MILLISECONDS.toNanos(500);
      Thread.sleep(Math.max(0, TimeUnit.NANOSECONDS.toMillis(pastExpiry - System.nanoTime())));
      assertThat(redis.cli("TTL", key)).as("Redis would keep it forever").isEqualTo("-1");
      assertThat(app.call("find 1")).as("past the expiry it was signed with (2 s ttl, 5 s for clocks), a miss")
          .isEqualTo("Product{1,renamed,1} queries=3");
      assertThat(app.log()).doesNotContain("is not signed with this agent's signing key");
    }
  }

  @Test
  void hashKeys_noArgumentValueIsReadableInRedis_andWritesStillEvict() throws Exception {
    String keyPrefix = "security-" + UUID.randomUUID();
    String yaml = Configs.shop(redis.uri(), keyPrefix).replace("  keyPrefix: " + keyPrefix + "\n",
        "  keyPrefix: " + keyPrefix + "\n  hashKeys: true\n");
    try (AppProcess app = shop(yaml, Map.of("CACHE_AGENT_KEY_HASH_SECRET", KEY_HASH_SECRET))) {
      assertThat(app.call("find 1")).isEqualTo("Product{1,product-1,10} queries=1");
      assertThat(app.call("search secret-sku-4711 1")).endsWith("queries=2");
      assertThat(app.call("search secret-sku-4711 1")).endsWith("queries=2");

      List<String> keys = Arrays.asList(redis.cli("KEYS", keyPrefix + ":*").split("\n"));
      assertThat(keys).filteredOn(key -> key.contains(":k2:")).hasSize(2)
          .allSatisfy(key -> assertThat(key).matches(".*:k2:#[A-Za-z0-9_-]{43}"))
          .noneSatisfy(key -> assertThat(key).contains("4711"));

      assertThat(app.call("save 1 renamed")).isEqualTo("saved queries=3");
      assertThat(app.call("find 1")).isEqualTo("Product{1,renamed,1} queries=4");
      assertThat(app.call("find 1")).isEqualTo("Product{1,renamed,1} queries=4");
      assertThat(app.log()).contains("argument values hashed in key names (HMAC-SHA256 with CACHE_AGENT_KEY_HASH_SECRET (fingerprint ")
          .doesNotContain(KEY_HASH_SECRET);
    }
  }

  @Test
  void hashKeysWithoutASecret_saysSoAtStart_andASecretWithoutHashKeysToo() throws Exception {
    String keyPrefix = "security-" + UUID.randomUUID();
    String hashed = Configs.shop(redis.uri(), keyPrefix).replace("  keyPrefix: " + keyPrefix + "\n",
        "  keyPrefix: " + keyPrefix + "\n  hashKeys: true\n");
    try (AppProcess app = shop(hashed, Map.of())) {
      assertThat(app.call("find 1")).isEqualTo("Product{1,product-1,10} queries=1");
      assertThat(app.log()).contains("argument values are hashed with plain SHA-256, for CACHE_AGENT_KEY_HASH_SECRET is not set");
    }
    try (AppProcess app = shop(Configs.shop(redis.uri(), keyPrefix), Map.of("CACHE_AGENT_KEY_HASH_SECRET", KEY_HASH_SECRET))) {
      assertThat(app.log()).contains("CACHE_AGENT_KEY_HASH_SECRET is set, but redis.hashKeys is not true");
    }
  }

  @Test
  void anAclUserAllowedOnlyTheAgentsCommandsAndKeys_isEnoughForEveryPath_andNoSecretIsPrinted() throws Exception {
    String keyPrefix = "acl-" + UUID.randomUUID();
    String password = "acl-password-" + UUID.randomUUID();
    // The least-privilege user of docs/security.md; Redis 7.2 and later also know CLIENT SETINFO,
    // which the client sends when it connects.
    String version = redis.cli("INFO", "server").lines().filter(line -> line.startsWith("redis_version:"))
        .findFirst().orElseThrow().substring("redis_version:".length()).strip();
    boolean knowsSetinfo = Runtime.Version.parse(version).compareTo(Runtime.Version.parse("7.2")) >= 0;
    String created = redis.cli(("ACL SETUSER cache-agent on >" + password + " resetkeys ~" + keyPrefix + ":* resetchannels -@all"
        + " +get +mget +set +del +eval +ping +hello +auth +select +info" + (knowsSetinfo ? " +client|setinfo" : "")).split(" "));
    assertThat(created).isEqualTo("OK");
    assertThat(redis.cli("ACL", "LOG", "RESET")).isEqualTo("OK");
    String uri = "redis://cache-agent:" + password + "@127.0.0.1:" + redis.port() + "/0";
    Map<String, String> env = Map.of("CACHE_AGENT_SIGNING_KEY", SIGNING_KEY, "CACHE_AGENT_KEY_HASH_SECRET", KEY_HASH_SECRET);
    String yaml = Configs.shop(uri, keyPrefix).replace("  keyPrefix: " + keyPrefix + "\n",
        "  keyPrefix: " + keyPrefix + "\n  hashKeys: true\n");
    try (AppProcess app = shop(yaml, env)) {
      assertThat(app.call("find 1")).isEqualTo("Product{1,product-1,10} queries=1"); // MGET, SET NX PX
      assertThat(app.call("find 1")).isEqualTo("Product{1,product-1,10} queries=1");
      assertThat(app.call("save 1 renamed")).isEqualTo("saved queries=2"); // a tombstone: SET PX
      assertThat(app.call("find 1")).isEqualTo("Product{1,renamed,1} queries=3"); // over the tombstone: EVAL (GET, SET)
      assertThat(app.call("find 1")).isEqualTo("Product{1,renamed,1} queries=3");
      assertThat(app.call("burst 4 2")).isEqualTo("4 answers [Product{2,product-2,20}] queries=4"); // a lease, and its EVAL (DEL)
      assertThat(app.call("deleteAll")).isEqualTo("deleted queries=5"); // a new generation: SET
      assertThat(AppProcess.queriesIn(app.call("find 1"))).as("all dropped: find 1 runs again").isEqualTo(6);

      assertThat(redis.cli("ACL", "LOG")).as("commands or keys the user was refused").isEmpty();
      assertThat(app.log()).doesNotContain("NOPERM").doesNotContain("WRONGPASS")
          .contains("redis://cache-agent:<masked>@127.0.0.1:" + redis.port());
    }
  }
}
