package io.cacheagent.startup;

import io.cacheagent.config.AgentConfig;
import io.cacheagent.config.Durations;
import io.cacheagent.config.EvictRule;
import io.cacheagent.config.MethodRule;
import io.cacheagent.config.NearCacheSettings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/** What a reloaded configuration changes, one line per method or setting, as the log shows it. */
final class ConfigDiff {

  private ConfigDiff() {}

  /** The changes from {@code before} to {@code after}; empty when they configure the same. */
  static List<String> lines(AgentConfig before, AgentConfig after) {
    List<String> lines = new ArrayList<>();
    List<String> atRestart = restartOnly(before, after);
    if (!atRestart.isEmpty()) {
      lines.add(String.join(", ", atRestart) + ": " + (atRestart.size() == 1 ? "takes" : "take") + " effect at the next restart");
    }
    if (!before.serializationAllow().equals(after.serializationAllow())) {
      lines.add("serialization.allow " + before.serializationAllow() + " -> " + after.serializationAllow());
    }
    Map<String, MethodRule> old = bySignature(before);
    Map<String, MethodRule> now = bySignature(after);
    for (Map.Entry<String, MethodRule> entry : now.entrySet()) {
      MethodRule was = old.get(entry.getKey());
      if (was == null) {
        lines.add("+ " + entry.getKey() + " (" + describe(entry.getValue()) + ")");
      } else {
        List<String> changes = changes(was, entry.getValue());
        if (!changes.isEmpty()) {
          lines.add(entry.getKey() + ": " + String.join(", ", changes));
        }
      }
    }
    for (String signature : old.keySet()) {
      if (!now.containsKey(signature)) {
        lines.add("- " + signature + " (no longer cached)");
      }
    }
    return lines;
  }

  /** The settings that a running agent keeps until a restart, each named as in the file, with its old and new value. */
  private static List<String> restartOnly(AgentConfig before, AgentConfig after) {
    List<String> changes = new ArrayList<>();
    String uriBefore = before.redis() == null ? "none (in-process store)" : before.redis().maskedUri();
    String uriAfter = after.redis() == null ? "none (in-process store)" : after.redis().maskedUri();
    if (!uriBefore.equals(uriAfter)) {
      changes.add("redis.uri " + uriBefore + " -> " + uriAfter);
    } else if (before.redis() != null && !before.redis().uris().equals(after.redis().uris())) {
      changes.add("redis.uri (its password)"); // never printed
    }
    compare(changes, "redis.readFrom", before, after,
        config -> config.redis() == null || !config.redis().isCluster() ? "none" : config.redis().readFrom().yamlName());
    compare(changes, "redis.commandTimeout", before, after,
        config -> config.redis() == null ? "none" : Durations.format(config.redis().commandTimeout()));
    compare(changes, "redis.tls", before, after,
        config -> config.redis() == null || config.redis().tls() == null ? "none" : String.valueOf(config.redis().tls()));
    compare(changes, "redis.keyPrefix", before, after, AgentConfig::keyPrefix);
    compare(changes, "redis.hashKeys", before, after, config -> config.keyNames().hashing().hidesArguments());
    compare(changes, "metrics.host", before, after, config -> config.metrics().host());
    compare(changes, "metrics.port", before, after,
        config -> config.metrics().servesEndpoint() ? String.valueOf(config.metrics().port()) : "none");
    compare(changes, "metrics.statsInterval", before, after,
        config -> config.metrics().statsInterval() == null ? "never" : Durations.format(config.metrics().statsInterval()));
    if (changes.isEmpty() && (!Objects.equals(before.redis(), after.redis()) || !before.metrics().equals(after.metrics()))) {
      changes.add("redis or metrics settings"); // one this list does not name yet
    }
    return changes;
  }

  private static Map<String, MethodRule> bySignature(AgentConfig config) {
    Map<String, MethodRule> rules = new LinkedHashMap<>();
    for (MethodRule rule : config.methods()) {
      rules.put(rule.signature().toString(), rule);
    }
    return rules;
  }

  private static List<String> changes(MethodRule was, MethodRule now) {
    List<String> changes = new ArrayList<>();
    compare(changes, "enabled", was, now, MethodRule::enabled);
    compare(changes, "ttl", was, now, rule -> Durations.format(rule.ttl()));
    compare(changes, "ttlJitter", was, now, rule -> percent(rule.ttlJitter()));
    compare(changes, "key", was, now, rule -> rule.key() == null ? "all arguments" : rule.key().toString());
    compare(changes, "cacheNulls", was, now, MethodRule::cacheNulls);
    if (was.cacheNulls() || now.cacheNulls()) { // otherwise it only follows ttl, and matters not
      compare(changes, "nullTtl", was, now, rule -> Durations.format(rule.nullTtl()));
    }
    compare(changes, "stampedeLock", was, now, MethodRule::stampedeLock);
    compare(changes, "batch", was, now, rule -> String.valueOf(rule.batch()));
    compare(changes, "evictOn", was, now, rule -> evictions(rule.evictOn()));
    compare(changes, "nearCache", was, now, rule -> nearCache(rule.nearCache()));
    compare(changes, "refreshAhead", was, now, rule -> rule.refreshAhead() == 0 ? "off" : percent(rule.refreshAhead()));
    return changes;
  }

  private static <T> void compare(List<String> changes, String name, T was, T now, Function<T, Object> value) {
    Object before = value.apply(was);
    Object after = value.apply(now);
    if (!before.equals(after)) {
      changes.add(name + " " + before + " -> " + after);
    }
  }

  private static String describe(MethodRule rule) {
    return "ttl " + Durations.format(rule.ttl()) + (rule.enabled() ? "" : ", enabled false")
        + (rule.evictOn().isEmpty() ? "" : ", evictOn " + evictions(rule.evictOn()))
        + (rule.nearCache() == null ? "" : ", nearCache " + nearCache(rule.nearCache()))
        + (rule.refreshAhead() == 0 ? "" : ", refreshAhead " + percent(rule.refreshAhead()));
  }

  /** As the file would write it: {@code off}, or the mapping with every setting. */
  private static String nearCache(NearCacheSettings settings) {
    return settings == null ? "off" : "{maxEntries: " + settings.maxEntries() + ", ttl: " + Durations.format(settings.ttl())
        + ", shareInstances: " + settings.shareInstances() + "}";
  }

  private static String evictions(List<EvictRule> rules) {
    List<String> texts = new ArrayList<>();
    for (EvictRule rule : rules) {
      texts.add(rule.write() + (rule.all() ? " all" : rule.key() == null ? "" : " key " + rule.key())
          + (rule.before() ? " before" : ""));
    }
    return texts.toString();
  }

  private static String percent(double fraction) {
    return Math.round(fraction * 1000) / 10.0 + "%";
  }
}
