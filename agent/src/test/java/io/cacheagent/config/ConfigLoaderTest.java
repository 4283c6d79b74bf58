package io.cacheagent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.cacheagent.key.ArgumentHashing;
import io.cacheagent.key.KeyNames;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  private static final String FULL = """
      redis:
        uri: redis://:s3cret@127.0.0.1:6379/0
        commandTimeout: 75ms
        keyPrefix: shop
      defaults:
        ttl: 5m
        ttlJitter: 10%
        cacheNulls: true
        nullTtl: 30s
      serialization:
        allow: [com.acme.money, java.util.Currency]
      methods:
        - method: com.acme.shop.ProductRepository#findById(long)
          ttl: 10m
          evictOn:
            - method: com.acme.shop.ProductRepository#save(com.acme.shop.Product)
              key: args[0].id
            - method: com.acme.shop.ProductRepository#deleteAll()
              all: true
        - method: com.acme.shop.ProductRepository#search(String, int)
          key: ["args[0]", "args[1]"]
          ttl: PT30S
          ttlJitter: 0%
          cacheNulls: false
          nullTtl: 1s
        - method: com.acme.shop.PriceService#quote
          enabled: false
      """;

  @Test
  void read_aLatin1ByteInAComment_saysLineColumnAndByte(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("cache-agent.yaml");
    byte[] text = "methods:\n  # caf\u00e9 prices\n  - method: com.acme.Repo#find(long)\n".getBytes(StandardCharsets.ISO_8859_1);
    Files.write(file, text);

    ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.read(file));

    assertThat(e.problems()).containsExactly(file + ": line 2, column 8: byte 0xE9 is not UTF-8; save the file as UTF-8"
        + " (a character such as \u00e9 typed in another encoding, often in a comment, is the usual cause)");
  }

  @Test
  void read_utf8WithAByteOrderMark_isTheTextWithoutIt(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("cache-agent.yaml");
    Files.writeString(file, "\uFEFFmethods: []  # caf\u00e9\n");

    assertThat(ConfigLoader.read(file)).isEqualTo("methods: []  # caf\u00e9\n");
  }

  @Test
  void parse_fullExample_readsEveryKey() throws ConfigException {
    AgentConfig config = ConfigLoader.parse("cache-agent.yaml", FULL, Map.of());

    assertThat(config.redis().uri()).isEqualTo("redis://:s3cret@127.0.0.1:6379/0");
    assertThat(config.redis().maskedUri()).isEqualTo("redis://:<masked>@127.0.0.1:6379/0");
    assertThat(config.redis().toString()).as("a log or debugger may print it").doesNotContain("s3cret")
        .contains("redis://:<masked>@127.0.0.1:6379/0", "PT0.075S");
    assertThat(config.redis().commandTimeout()).isEqualTo(Duration.ofMillis(75));
    assertThat(config.keyPrefix()).isEqualTo("shop");
    assertThat(config.methods()).hasSize(3);

    MethodRule findById = config.methods().get(0);
    assertThat(findById.signature()).hasToString("com.acme.shop.ProductRepository#findById(long)");
    assertThat(findById.ttl()).isEqualTo(Duration.ofMinutes(10));
    assertThat(findById.cacheNulls()).isTrue();
    assertThat(findById.ttlJitter()).isEqualTo(0.10);
    assertThat(findById.nullTtl()).isEqualTo(Duration.ofSeconds(30));
    assertThat(findById.key()).isNull();
    assertThat(findById.evictOn()).hasSize(2);
    assertThat(findById.evictOn().get(0).key()).extracting(Object::toString).containsExactly("args[0].id");
    assertThat(findById.evictOn().get(1).all()).isTrue();

    MethodRule search = config.methods().get(1);
    assertThat(search.signature().parameterTypes()).containsExactly("java.lang.String", "int");
    assertThat(search.key()).extracting(Object::toString).containsExactly("args[0]", "args[1]");
    assertThat(search.ttl()).isEqualTo(Duration.ofSeconds(30));
    assertThat(search.cacheNulls()).isFalse();
    assertThat(search.ttlJitter()).isZero();
    assertThat(search.nullTtl()).isEqualTo(Duration.ofSeconds(1));
    assertThat(config.serializationAllow()).containsExactly("com.acme.money", "java.util.Currency");

    MethodRule quote = config.methods().get(2);
    assertThat(quote.signature().hasParameterList()).isFalse();
    assertThat(quote.enabled()).isFalse();
    assertThat(quote.ttl()).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void parse_noRedisSection_usesInProcessStore() throws ConfigException {
    AgentConfig config = ConfigLoader.parse("a.yaml", "methods:\n  - method: com.acme.A#b()\n", Map.of());

    assertThat(config.redis()).isNull();
    assertThat(config.keyPrefix()).isEqualTo("cache-agent");
  }

  @Test
  void parse_envUri_overridesFileAndEnablesRedis() throws ConfigException {
    AgentConfig config = ConfigLoader.parse("a.yaml", "methods:\n  - method: com.acme.A#b()\n",
        Map.of(ConfigLoader.REDIS_URI_ENV, "redis://10.0.0.9:6380/2"));

    assertThat(config.redis().uri()).isEqualTo("redis://10.0.0.9:6380/2");
    assertThat(config.redis().commandTimeout()).isEqualTo(RedisSettings.DEFAULT_COMMAND_TIMEOUT);
  }

  @Test
  void parse_envKeyPrefix_overridesFile() throws ConfigException {
    AgentConfig config = ConfigLoader.parse("a.yaml", "redis:\n  keyPrefix: shop\nmethods:\n  - method: com.acme.A#b()\n",
        Map.of(ConfigLoader.KEY_PREFIX_ENV, "shop-staging"));

    assertThat(config.keyPrefix()).isEqualTo("shop-staging");
  }

  @Test
  void parse_hashKeys_hashesArgumentsWithTheSecretWhenOneIsSet_andNeverPrintsIt() throws ConfigException {
    String yaml = "redis:\n  uri: redis://localhost:6379\n  hashKeys: true\nmethods:\n  - method: com.acme.A#b()\n";

    assertThat(ConfigLoader.parse("a.yaml", "methods:\n  - method: com.acme.A#b()\n", Map.of()).keyNames().hashing())
        .isSameAs(ArgumentHashing.READABLE);
    assertThat(ConfigLoader.parse("a.yaml", yaml, Map.of()).keyNames().hashing()).isSameAs(ArgumentHashing.SHA_256);
    AgentConfig keyed = ConfigLoader.parse("a.yaml", yaml, Map.of(ConfigLoader.KEY_HASH_SECRET_ENV, "a-secret-of-32-characters-or-so"));
    assertThat(keyed.keyNames().hashing().hidesArguments()).isTrue();
    assertThat(keyed.keyNames().hashing().toString()).startsWith("argument values hashed in key names (HMAC-SHA256 with "
        + ConfigLoader.KEY_HASH_SECRET_ENV + " (fingerprint ").doesNotContain("32-characters");
    assertThat(keyed.toString()).doesNotContain("32-characters");
    assertThatThrownBy(() -> ConfigLoader.parse("a.yaml", yaml, Map.of(ConfigLoader.KEY_HASH_SECRET_ENV, "short")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(ConfigLoader.KEY_HASH_SECRET_ENV + " holds 5 bytes; a key needs at least 16").hasMessageNotContaining("short");
  }

  @Test
  void parse_cluster_takesSeedNodes_andNamesKeysForHashSlots() throws ConfigException {
    AgentConfig config = ConfigLoader.parse("a.yaml", "redis:\n  cluster: [redis://10.0.0.1:7000, 'redis://:pw@10.0.0.2:7000']\n"
        + "  readFrom: replicaPreferred\nmethods:\n  - method: com.acme.A#b()\n", Map.of());

    assertThat(config.redis().isCluster()).isTrue();
    assertThat(config.redis().uris()).containsExactly("redis://10.0.0.1:7000", "redis://:pw@10.0.0.2:7000");
    assertThat(config.redis().readFrom()).isEqualTo(RedisSettings.ReadFrom.REPLICA_PREFERRED);
    assertThat(config.redis().maskedUri()).isEqualTo("cluster [redis://10.0.0.1:7000, redis://:<masked>@10.0.0.2:7000]");
    assertThat(config.redis().toString()).doesNotContain(":pw@");
    assertThat(config.keyNames().slotGroups()).isEqualTo(KeyNames.CLUSTER_SLOT_GROUPS);
    AgentConfig oneServer = ConfigLoader.parse("a.yaml", "redis:\n  uri: redis://10.0.0.1:6379\nmethods:\n  - method: com.acme.A#b()\n",
        Map.of());
    assertThat(oneServer.redis().readFrom()).isEqualTo(RedisSettings.ReadFrom.MASTER);
    assertThat(oneServer.keyNames().slotGroups()).isZero();
    // The environment's URI overrides the file's cluster as it overrides its uri, even where the file has both.
    assertThat(ConfigLoader.parse("a.yaml", "redis:\n  uri: redis://a:6379\n  cluster: [redis://b:7000]\n"
        + "methods:\n  - method: com.acme.A#b()\n", Map.of(ConfigLoader.REDIS_URI_ENV, "redis://10.9.9.9:6379")).redis().uri())
        .isEqualTo("redis://10.9.9.9:6379");
    // The environment's URI overrides the file's cluster as it overrides its uri.
    assertThat(ConfigLoader.parse("a.yaml", "redis:\n  cluster: [redis://10.0.0.1:7000]\nmethods:\n  - method: com.acme.A#b()\n",
        Map.of(ConfigLoader.REDIS_URI_ENV, "redis://10.9.9.9:6379")).redis().isCluster()).isFalse();
  }

  @Test
  void parse_sentinelUri_isOneServerFoundThroughTheSentinels_andMustNameTheMaster() throws ConfigException {
    String methods = "methods:\n  - method: com.acme.A#b()\n";
    AgentConfig config = ConfigLoader.parse("a.yaml", "redis:\n  uri: 'redis-sentinel://:pw@10.0.0.1:26379,10.0.0.2:26379/0#shop'\n"
        + methods, Map.of());

    assertThat(config.redis().isCluster()).isFalse();
    assertThat(config.keyNames().slotGroups()).isZero();
    assertThat(config.redis().maskedUri()).isEqualTo("redis-sentinel://:<masked>@10.0.0.1:26379,10.0.0.2:26379/0#shop");
    assertThat(problems("redis:\n  uri: redis-sentinel://10.0.0.1:26379/0\n" + methods)).containsExactly(
        "cache-agent.yaml:2:8: redis.uri \"redis-sentinel://10.0.0.1:26379/0\" names no master; end it with the name the"
            + " sentinels know it by: redis-sentinel://host1:26379,host2:26379/0#mymaster");
    assertThat(problems("redis:\n  cluster: [redis-sentinel://10.0.0.1:26379/0#shop]\n" + methods)).containsExactly(
        "cache-agent.yaml:2:13: redis.cluster[0] is a Sentinel URI; a cluster's seeds are its nodes (redis://host:7000);"
            + " for Sentinel, use uri: redis-sentinel://host1:26379,host2:26379/0#mymaster instead of cluster");
  }

  @Test
  void parse_nearCache_isOffUnlessSet_inheritsFromDefaults_andAMethodMaySwitchItOff() throws ConfigException {
    AgentConfig config = ConfigLoader.parse("cache-agent.yaml", """
        defaults:
          nearCache: {maxEntries: 500}
        methods:
          - method: com.acme.A#b()
          - method: com.acme.A#c()
            nearCache: {ttl: 5s, shareInstances: true}
          - method: com.acme.A#d()
            nearCache: false
        """, Map.of());
    assertThat(config.methods()).extracting(MethodRule::nearCache).containsExactly(
        new NearCacheSettings(500, Duration.ofMinutes(1), false),
        new NearCacheSettings(500, Duration.ofSeconds(5), true),
        null);
    assertThat(ConfigLoader.parse("cache-agent.yaml", "methods:\n  - method: com.acme.A#b()\n", Map.of()).methods().get(0).nearCache()).isNull();
    assertThat(ConfigLoader.parse("cache-agent.yaml", "methods:\n  - method: com.acme.A#b()\n    nearCache: true\n", Map.of())
        .methods().get(0).nearCache()).isEqualTo(NearCacheSettings.BUILT_IN);
  }

  @Test
  void parse_nearCache_saysWhatIsWrong() {
    assertThat(problems("methods:\n  - method: com.acme.A#b()\n    nearCache: {maxEntries: 0, size: 3}\n")).containsExactly(
        "cache-agent.yaml:3:32: unknown key \"size\" in methods[0].nearCache; allowed: maxEntries, ttl, shareInstances",
        "cache-agent.yaml:3:29: methods[0].nearCache.maxEntries 0 is out of range; use a whole number from 1 to 1000000");
    assertThat(problems("methods:\n  - method: com.acme.A#b()\n    nearCache: {maxEntries: lots}\n")).containsExactly(
        "cache-agent.yaml:3:29: methods[0].nearCache.maxEntries \"lots\" is not a whole number; use a whole number from 1 to 1000000");
    assertThat(problems("methods:\n  - method: com.acme.A#b()\n    nearCache: yes\n")).containsExactly(
        "cache-agent.yaml:3:16: methods[0].nearCache \"yes\" is not a boolean; use true or false");
  }

  @Test
  void parse_cluster_saysWhatIsWrong() {
    String methods = "methods:\n  - method: com.acme.A#b()\n";
    assertThat(problems("redis:\n  uri: redis://a:6379\n  cluster: [redis://b:7000]\n" + methods)).containsExactly(
        "cache-agent.yaml:3:12: redis.uri and redis.cluster are both set; use uri for one server (or Sentinel), cluster for the"
            + " seed nodes of a Redis Cluster");
    assertThat(problems("redis:\n  cluster: redis://b:7000\n" + methods)).containsExactly(
        "cache-agent.yaml:2:12: redis.cluster must be a list of the cluster's nodes, e.g. [redis://10.0.0.1:7000,"
            + " redis://10.0.0.2:7000]; one is enough to find the others, more let the agent start while one is down");
    assertThat(problems("redis:\n  cluster: [redis://b:7000, rediss://c:7000, 'redis-socket:///tmp/r.sock', http://d]\n" + methods))
        .containsExactly(
            "cache-agent.yaml:2:29: redis.cluster[1] mixes rediss:// (TLS) and redis://; a cluster's nodes all speak TLS or none does",
            "cache-agent.yaml:2:46: redis.cluster[2] is a Unix socket; a cluster's nodes are reached over TCP: use redis://host:7000",
            "cache-agent.yaml:2:76: redis.cluster[3] \"http://d\" is not a Redis URI; use redis://host:6379/0,"
                + " rediss://user:password@host:6379 for TLS, or leave redis out for the in-process store");
    assertThat(problems("redis:\n  cluster: [redis://b:7000]\n  readFrom: nearest\n  keyPrefix: 'shop{1}'\n" + methods))
        .containsExactly(
            "cache-agent.yaml:3:13: redis.readFrom \"nearest\" is not known; use master (the default: every read sees every"
                + " confirmed eviction) or replicaPreferred (reads spread to replicas, which may lag)",
            "cache-agent.yaml:4:14: redis.keyPrefix \"shop{1}\" holds a brace; on a Redis Cluster the agent places keys in hash"
                + " slots with {...} tags of its own: use a prefix without { and }");
    assertThat(problems("redis:\n  uri: redis://b:6379\n  readFrom: replicaPreferred\n" + methods)).containsExactly(
        "cache-agent.yaml:3:13: redis.readFrom applies to a Redis Cluster (redis.cluster) only; one server answers every read itself");
  }

  @Test
  void parse_tls_takesAbsolutePemFiles_andSaysWhatIsWrongWithEachOtherwise(@TempDir Path dir) throws Exception {
    Path cert = Files.writeString(dir.resolve("client.crt"), "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
    Path key = Files.writeString(dir.resolve("client.key"), "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n");
    Path rsaKey = Files.writeString(dir.resolve("rsa.key"), "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----\n");
    String good = "redis:\n  uri: rediss://redis:6380/0\n  tls:\n    caCert: %s\n    clientCert: %s\n    clientKey: %s\nmethods:\n  - method: com.acme.A#b()\n";

    RedisSettings redis = ConfigLoader.parse("a.yaml", good.formatted(cert, cert, key), Map.of()).redis();

    assertThat(redis.tls()).isEqualTo(new TlsFiles(cert, cert, key));
    assertThat(problems(good.formatted("ca.crt", dir.resolve("missing.crt"), rsaKey))).containsExactly(
        "cache-agent.yaml:4:13: redis.tls.caCert \"ca.crt\" is not an absolute path; give the whole path of the PEM file",
        "cache-agent.yaml:5:17: redis.tls.clientCert \"" + dir.resolve("missing.crt") + "\" cannot be read (NoSuchFileException);"
            + " give a PEM file this JVM's user can read",
        "cache-agent.yaml:6:16: redis.tls.clientKey \"" + rsaKey + "\" is not in PKCS#8 form; convert it:"
            + " openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem");
    assertThat(problems(good.formatted(key, cert, cert).replace("rediss://", "redis://"))).containsExactly(
        "cache-agent.yaml:4:13: redis.tls.caCert \"" + key + "\" holds no PEM certificate (-----BEGIN CERTIFICATE-----)",
        "cache-agent.yaml:6:16: redis.tls.clientKey \"" + cert + "\" holds no PEM private key (-----BEGIN PRIVATE KEY-----)",
        "cache-agent.yaml:4:5: redis.tls is set, but the Redis URI is not rediss:// (TLS); use rediss://host:6380/0 (or"
            + " rediss-sentinel://) with it, or leave redis.tls out");
    assertThat(problems("redis:\n  uri: rediss://redis:6380/0\n  tls:\n    clientCert: " + cert + "\nmethods:\n  - method: com.acme.A#b()\n"))
        .containsExactly("cache-agent.yaml:4:5: redis.tls needs clientCert and clientKey together (the certificate the agent"
            + " shows and its private key)");
  }

  @Test
  void parse_badDuration_namesPlaceValueAndAcceptedForms() {
    assertThat(problems("""
        methods:
          - method: com.acme.A#b(long)
            ttl: 10 minutes
        """)).containsExactly(
        "cache-agent.yaml:3:10: methods[0].ttl \"10 minutes\" is not a duration; use 250ms, 30s, 10m, 1h, 1d or PT10M");
  }

  @Test
  void parse_unknownKey_namesPathAndAllowedKeys() {
    assertThat(problems("""
        methods:
          - method: com.acme.A#b(long)
            ttl_seconds: 10
        """)).containsExactly(
        "cache-agent.yaml:3:5: unknown key \"ttl_seconds\" in methods[0]; allowed: method, ttl, ttlJitter, key, batch, cacheNulls, nullTtl, stampedeLock, nearCache, refreshAhead, enabled, evictOn");
  }

  @Test
  void parse_badSignature_suggestsTheIntendedOne() {
    assertThat(problems("""
        methods:
          - method: com.acme.Quotes.quote(
        """)).containsExactly(
        "cache-agent.yaml:2:13: methods[0].method \"com.acme.Quotes.quote(\" is not a signature; "
            + "use com.acme.Quotes#quote or com.acme.Quotes#quote(java.lang.String)");
  }

  @Test
  void parse_unqualifiedParameterType_asksForPackage() {
    assertThat(problems("""
        methods:
          - method: com.acme.Repo#save(Product)
        """)).containsExactly(
        "cache-agent.yaml:2:13: methods[0].method \"com.acme.Repo#save(Product)\" has a parameter type \"Product\" "
            + "that is not fully qualified; use the package name, e.g. com.acme.Product; use com.acme.Repo#save or com.acme.Repo#save(java.lang.String)");
  }

  @Test
  void parse_badKeyExpression_saysWhatIsAccepted() {
    assertThat(problems("""
        methods:
          - method: com.acme.A#b(long)
            key: arg0
        """)).containsExactly(
        "cache-agent.yaml:3:10: methods[0].key \"arg0\" is not a key expression; "
            + "use args[0], or a property chain such as args[0].id, args[1].customer.id or this.region");
  }

  @Test
  void parse_keyBeyondParameters_isAnError() {
    assertThat(problems("""
        methods:
          - method: com.acme.A#b(long)
            key: args[1]
        """)).containsExactly(
        "cache-agent.yaml:3:10: methods[0].key \"args[1]\" names argument 1 but com.acme.A#b(long) has 1 parameter; use args[0]");
  }

  @Test
  void parse_unstableParameterInKey_isAnError() {
    assertThat(problems("""
        methods:
          - method: com.acme.A#b(java.util.function.Supplier)
        """)).containsExactly(
        "cache-agent.yaml:2:13: methods[0].method keys on args[0] of type java.util.function.Supplier, which has no stable value; "
            + "name the arguments or properties that identify the result, e.g. key: args[0].id");
  }

  @Test
  void parse_evictKeyOfOtherShape_canNeverMatch() {
    assertThat(problems("""
        methods:
          - method: com.acme.A#find(long)
            evictOn:
              - method: com.acme.A#save(com.acme.P)
                key: ["args[0].id", "args[0].name"]
        """)).containsExactly(
        "cache-agent.yaml:5:14: methods[0].evictOn[0].key makes 2 key parts but methods[0] is keyed by 1, so it can never match; "
            + "give one expression per key part of the cached method, e.g. key: args[0].id");
  }

  @Test
  void parse_evictByKeyOnOverloadSet_needsParameterTypes() {
    assertThat(problems("""
        methods:
          - method: com.acme.A#find
            evictOn:
              - method: com.acme.A#save(long)
        """)).containsExactly(
        "cache-agent.yaml:4:9: methods[0].evictOn[0] evicts by key, but methods[0].method \"com.acme.A#find\" lists no parameter types, "
            + "so its keys are per overload; list them, e.g. com.acme.A#find(long), or use all: true");
  }

  @Test
  void parse_keyAndAll_isAnError() {
    assertThat(problems("""
        methods:
          - method: com.acme.A#find(long)
            evictOn:
              - method: com.acme.A#clear()
                all: true
                key: args[0]
        """)).containsExactly(
        "cache-agent.yaml:6:14: methods[0].evictOn[0] has both key and all: true; give key to evict one entry, or all: true to drop every entry");
  }

  @Test
  void parse_duplicateMethod_pointsAtFirst() {
    assertThat(problems("""
        methods:
          - method: com.acme.A#find(long)
          - method: com.acme.A#find( long )
        """)).containsExactly(
        "cache-agent.yaml:3:5: methods[1].method \"com.acme.A#find(long)\" names a method that methods[0] (\"com.acme.A#find(long)\") already caches; list each method once");
  }

  @Test
  void parse_overloadSetOverlappingOneOverload_isAnError() {
    assertThat(problems("""
        methods:
          - method: com.acme.A#find(long)
          - method: com.acme.A#find
          - method: com.acme.A#find(java.lang.String)
        """)).containsExactly(
        "cache-agent.yaml:3:5: methods[1].method \"com.acme.A#find\" names a method that methods[0] (\"com.acme.A#find(long)\") already caches; list each method once");
  }

  @Test
  void parse_envUriThatDoesNotParse_isReportedMasked() {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse("a.yaml",
        "methods:\n  - method: com.acme.A#b()\n", Map.of(ConfigLoader.REDIS_URI_ENV, "redis://:pa^ss@host:6379/0")));

    assertThat(e.getMessage()).doesNotContain("pa^ss").contains("environment variable CACHE_AGENT_REDIS_URI \"redis://:<masked>@host:6379/0\"");
  }

  @Test
  void parse_yamlSyntaxError_givesPosition() {
    assertThat(problems("""
        methods:
          - method: com.acme.A#find(long)
            ttl: [1m
        """)).hasSize(1).first().asString().startsWith("cache-agent.yaml:4:1: YAML syntax: ");
  }

  @Test
  void parse_unquotedKeyInFlowList_explainsQuoting() {
    assertThat(problems("""
        methods:
          - method: com.acme.A#find(long, int)
            key: [args[0], args[1]]
        """)).containsExactly(
        "cache-agent.yaml:3:15: YAML syntax: expected ',' or ']', but got [; "
            + "in flow style, quote key expressions: [\"args[0]\", \"args[1]\"]");
  }

  @Test
  void parse_badRedisUri_masksPassword() {
    assertThat(problems("""
        redis:
          uri: http://admin:hunter2@cache:6379
        methods: []
        """)).containsExactly(
        "cache-agent.yaml:2:8: redis.uri \"http://admin:<masked>@cache:6379\" is not a Redis URI; "
            + "use redis://host:6379/0, rediss://user:password@host:6379 for TLS, or leave redis out for the in-process store");
  }

  @Test
  void parse_severalErrors_reportsAllAtOnce() {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse("cache-agent.yaml", """
        redis:
          commandTimeout: soon
        methods:
          - method: com.acme.A#find(long)
            ttl: 0s
            enabled: yes
        """, Map.of()));

    assertThat(e.problems()).containsExactly(
        "cache-agent.yaml:2:19: redis.commandTimeout \"soon\" is not a duration; use 250ms, 30s, 10m, 1h, 1d or PT10M",
        "cache-agent.yaml:5:10: methods[0].ttl \"0s\" must be longer than zero; use 250ms, 30s, 10m, 1h, 1d or PT10M",
        "cache-agent.yaml:6:14: methods[0].enabled \"yes\" is not a boolean; use true or false");
    assertThat(e.getMessage()).endsWith("3 config errors; cache-agent is disabled and the application runs without caching");
  }

  @Test
  void parse_emptyFile_saysWhatIsNeeded() {
    assertThat(problems("")).containsExactly("cache-agent.yaml: the file is empty; it needs at least a methods: list");
  }

  private static List<String> problems(String yaml) {
    return catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse("cache-agent.yaml", yaml, Map.of())).problems();
  }
}
