package io.cacheagent.startup;

import static org.assertj.core.api.Assertions.assertThat;

import io.cacheagent.config.AgentConfig;
import io.cacheagent.config.ConfigException;
import io.cacheagent.config.ConfigLoader;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigDiffTest {

  private static final String BEFORE = """
      methods:
        - method: com.acme.Repo#find(long)
          ttl: 10m
          evictOn:
            - method: com.acme.Repo#save(com.acme.P)
              key: args[0].id
        - method: com.acme.Repo#search(String)
        - method: com.acme.Repo#old()
      """;

  @Test
  void lines_namesEveryChangedSettingOfEachMethod_andAddedAndRemovedMethods() throws ConfigException {
    AgentConfig after = parse("""
        methods:
          - method: com.acme.Repo#find(long)
            ttl: 5m
            enabled: false
            evictOn:
              - method: com.acme.Repo#save(com.acme.P)
                key: args[0].id
              - method: com.acme.Repo#clear()
                all: true
          - method: com.acme.Repo#search(String)
          - method: com.acme.Repo#count()
            ttl: 30s
            nearCache: true
            refreshAhead: 50%
        """);

    assertThat(ConfigDiff.lines(parse(BEFORE), after)).containsExactly(
        "com.acme.Repo#find(long): enabled true -> false, ttl 10m -> 5m, evictOn [com.acme.Repo#save(com.acme.P) key [args[0].id]]"
            + " -> [com.acme.Repo#save(com.acme.P) key [args[0].id], com.acme.Repo#clear() all]",
        "+ com.acme.Repo#count() (ttl 30s, nearCache {maxEntries: 10000, ttl: 1m, shareInstances: false}, refreshAhead 50.0%)",
        "- com.acme.Repo#old() (no longer cached)");
  }

  @Test
  void lines_nearCacheAndRefreshAhead_turnedOnOrOff_areNamed() throws ConfigException {
    AgentConfig withBoth = parse(BEFORE.replace("    ttl: 10m\n", "    ttl: 10m\n    nearCache: {maxEntries: 500}\n    refreshAhead: 80%\n"));

    assertThat(ConfigDiff.lines(parse(BEFORE), withBoth)).containsExactly(
        "com.acme.Repo#find(long): nearCache off -> {maxEntries: 500, ttl: 1m, shareInstances: false}, refreshAhead off -> 80.0%");
    assertThat(ConfigDiff.lines(withBoth, parse(BEFORE))).containsExactly(
        "com.acme.Repo#find(long): nearCache {maxEntries: 500, ttl: 1m, shareInstances: false} -> off, refreshAhead 80.0% -> off");
  }

  @Test
  void lines_serializationAllow_appliesAtOnce_whileRedisWaitsForARestart() throws ConfigException {
    AgentConfig after = parse("redis:\n  keyPrefix: shop\nserialization:\n  allow: [org.joda.time]\n" + BEFORE);

    assertThat(ConfigDiff.lines(parse(BEFORE), after)).containsExactly(
        "redis.keyPrefix cache-agent -> shop: takes effect at the next restart",
        "serialization.allow [] -> [org.joda.time]");
  }

  @Test
  void lines_sameMethodsReordered_isNoChange() throws ConfigException {
    AgentConfig reordered = parse("""
        methods:
          - method: com.acme.Repo#old()
          - method: com.acme.Repo#search(java.lang.String)
          - method: com.acme.Repo#find(long)
            ttl: 10m
            evictOn:
              - method: com.acme.Repo#save(com.acme.P)
                key: args[0].id
        """);

    assertThat(ConfigDiff.lines(parse(BEFORE), reordered)).isEmpty();
  }

  @Test
  void lines_redisChanged_namesWhatWaitsForARestart() throws ConfigException {
    AgentConfig withRedis = parse("redis:\n  uri: redis://cache:6379/0\n" + BEFORE);

    assertThat(ConfigDiff.lines(parse(BEFORE), withRedis)).containsExactly(
        "redis.uri none (in-process store) -> redis://cache:6379/0, redis.commandTimeout none -> 50ms: take effect at the next restart");
  }

  @Test
  void lines_restartOnlySettingsChanged_nameEach_withoutThePassword() throws ConfigException {
    AgentConfig before = parse("redis:\n  uri: redis://app:old-secret@cache:6379/0\n" + BEFORE);
    AgentConfig after = parse("redis:\n  uri: redis://app:new-secret@cache:6379/0\n  commandTimeout: 200ms\n"
        + "metrics:\n  port: 9404\n" + BEFORE);

    assertThat(ConfigDiff.lines(before, after)).singleElement().asString()
        .startsWith("redis.uri (its password), redis.commandTimeout 50ms -> 200ms, metrics.port none -> 9404")
        .endsWith(": take effect at the next restart")
        .doesNotContain("secret");
  }

  private static AgentConfig parse(String yaml) throws ConfigException {
    return ConfigLoader.parse("cache-agent.yaml", yaml, Map.of());
  }
}
