package io.cacheagent.config;

import java.time.Duration;
import java.util.List;

/**
 * A loaded, valid configuration.
 *
 * @param source the file it came from
 * @param redis where Redis is, or {@code null} for the in-process store
 * @param keyPrefix every key the agent writes starts with it
 * @param methods the cached methods, in file order
 */
public record AgentConfig(String source, RedisSettings redis, String keyPrefix, List<MethodRule> methods) {

  /** Default of {@code redis.keyPrefix}. */
  public static final String DEFAULT_KEY_PREFIX = "cache-agent";

  /** Default of {@code defaults.ttl}: five minutes. */
  public static final Duration DEFAULT_TTL = Duration.ofMinutes(5);
}
