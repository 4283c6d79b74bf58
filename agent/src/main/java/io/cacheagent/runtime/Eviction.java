package io.cacheagent.runtime;

import io.cacheagent.config.EvictRule;
import io.cacheagent.key.CacheKeys;

/**
 * One eviction a write method triggers: the rule, and where the keys of its cached method live.
 *
 * @param rule the {@code evictOn} entry
 * @param cachedName canonical signature of the cached method, as configured
 * @param namespace start of that method's keys
 * @param generationKey the key that {@code all: true} moves on
 */
public record Eviction(EvictRule rule, String cachedName, String namespace, String generationKey) {

  /** The eviction of {@code rule} on the cached method {@code cachedSignature}. */
  public static Eviction of(EvictRule rule, String cachedSignature, String keyPrefix) {
    return new Eviction(rule, cachedSignature, CacheKeys.namespace(keyPrefix, cachedSignature),
        CacheKeys.generationKey(keyPrefix, cachedSignature));
  }
}
