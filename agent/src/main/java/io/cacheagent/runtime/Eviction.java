package io.cacheagent.runtime;

import io.cacheagent.config.EvictRule;
import io.cacheagent.config.MethodRule;
import io.cacheagent.key.GenerationKey;
import io.cacheagent.key.KeyNames;
import io.cacheagent.key.KeyShape;
import io.cacheagent.key.Namespace;
import java.time.Duration;
import lombok.Value;

/** One eviction a write method triggers: the rule, and where the keys of its cached method live. */
@Value
public class Eviction {

  /** The {@code evictOn} entry. */
  EvictRule rule;
  /** Canonical signature of the cached method, as configured. */
  String cachedName;
  /** Start of that method's keys. */
  Namespace namespace;
  /** The key that {@code all: true} moves on. */
  GenerationKey generationKey;
  /** The shape of the cached method's key. */
  KeyShape cachedShape;
  /** The cached method's TTL: how long a tombstone must outlive any entry it replaces. */
  Duration ttl;
  /**
   * Why the declared types show that its key can never evict an entry, so that it drops every entry
   * instead; {@code null} when they do not.
   */
  String keyProblem;

  /** The eviction of {@code rule} on the cached method {@code cached}. */
  public static Eviction of(EvictRule rule, MethodRule cached, KeyNames keyNames) {
    CachedMethod.KeySpace keys = CachedMethod.KeySpace.of(cached, keyNames);
    return new Eviction(rule, cached.signature().toString(), keys.namespace(), keys.generationKey(), keys.shape(), cached.ttl(), null);
  }

  /** This eviction, dropping every entry instead of computing a key, for {@code problem} (or as computed, for {@code null}). */
  Eviction withKeyProblem(String problem) {
    return new Eviction(rule, cachedName, namespace, generationKey, cachedShape, ttl, problem);
  }
}
