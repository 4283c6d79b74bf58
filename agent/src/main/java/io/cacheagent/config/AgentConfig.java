package io.cacheagent.config;

import io.cacheagent.codec.EntrySigning;
import io.cacheagent.key.KeyNames;
import java.time.Duration;
import java.util.List;
import lombok.Value;

/** A loaded, valid configuration. */
@Value
public class AgentConfig {

  /** The file it came from. */
  String source;
  /** Where Redis is, or {@code null} for the in-process store. */
  RedisSettings redis;
  /**
   * How keys are named: the prefix every key the agent writes starts with, and how argument values
   * appear in them ({@code redis.hashKeys}).
   */
  KeyNames keyNames;
  /** Whether entries are signed, and with which keys (env {@code CACHE_AGENT_SIGNING_KEY}). */
  EntrySigning signing;
  /**
   * Packages and classes that entries may hold besides those allowed by default ({@code
   * serialization.allow}).
   */
  List<String> serializationAllow;
  /** The Prometheus endpoint and the summary line, both off by default. */
  MetricsSettings metrics;
  /** The cached methods, in file order. */
  List<MethodRule> methods;

  /** The prefix every key the agent writes starts with ({@code redis.keyPrefix}). */
  public String keyPrefix() {
    return keyNames.prefix();
  }

  /** Default of {@code redis.keyPrefix}. */
  public static final String DEFAULT_KEY_PREFIX = "cache-agent";

  /** Default of {@code defaults.ttl}: five minutes. */
  public static final Duration DEFAULT_TTL = Duration.ofMinutes(5);

  /** Default of {@code defaults.ttlJitter}: 5%, as a fraction of the TTL. */
  public static final double DEFAULT_TTL_JITTER = 0.05;

  /** Largest {@code ttlJitter}: 50%. */
  public static final double MAX_TTL_JITTER = 0.5;
}
