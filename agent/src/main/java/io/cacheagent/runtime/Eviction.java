package io.cacheagent.runtime;

import io.cacheagent.config.EvictRule;
import io.cacheagent.config.MethodRule;
import io.cacheagent.key.GenerationKey;
import io.cacheagent.key.KeyNames;
import io.cacheagent.key.KeyShape;
import io.cacheagent.key.Namespace;
import java.time.Duration;

/**
 * One eviction a write method triggers: the rule, and where the keys of its cached method live.
 *
 * @param rule the {@code evictOn} entry
 * @param cachedName canonical signature of the cached method, as configured
 * @param namespace start of that method's keys
 * @param generationKey the key that {@code all: true} moves on
 * @param cachedShape the shape of the cached method's key
 * @param ttl the cached method's TTL: how long a tombstone must outlive any entry it replaces
 * @param keyProblem why the declared types show that its key can never evict an entry, so that it
 *     drops every entry instead; {@code null} when they do not
 */
public record Eviction(EvictRule rule, String cachedName, Namespace namespace, GenerationKey generationKey, KeyShape cachedShape,
    Duration ttl, String keyProblem) {

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
