package io.cacheagent.config;

import java.time.Duration;

/**
 * The {@code defaults} section: what a method that does not say otherwise gets.
 *
 * @param ttl default {@code ttl}
 * @param ttlJitter default {@code ttlJitter}, a fraction
 * @param cacheNulls default {@code cacheNulls}
 * @param nullTtl default {@code nullTtl}; {@code null} means each method's own {@code ttl}
 * @param stampedeLock default {@code stampedeLock}
 */
record MethodDefaults(Duration ttl, double ttlJitter, boolean cacheNulls, Duration nullTtl, boolean stampedeLock) {

  static final MethodDefaults BUILT_IN =
      new MethodDefaults(AgentConfig.DEFAULT_TTL, AgentConfig.DEFAULT_TTL_JITTER, false, null, false);
}
