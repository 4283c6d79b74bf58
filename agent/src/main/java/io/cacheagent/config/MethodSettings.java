package io.cacheagent.config;

import io.cacheagent.jdk.Immutable;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import lombok.Value;
import org.yaml.snakeyaml.nodes.Node;

/**
 * The settings that {@code defaults} sets for every method and a method may set for itself; one
 * reader for both, so that they are parsed and checked alike.
 */
@Value
public class MethodSettings {

  /** How long an entry lives at most. */
  Duration ttl;
  /**
   * Fraction of {@code ttl} (0 to 0.5) by which each entry's life is shortened at random, so that
   * entries written together do not expire together.
   */
  double ttlJitter;
  /** Whether a {@code null} result is cached. */
  boolean cacheNulls;
  /** How long a cached {@code null} lives; {@code null} in {@code defaults} means each method's own {@code ttl}. */
  Duration nullTtl;
  /**
   * Whether JVMs take a short lease in Redis before loading a missed key, so that one JVM loads it
   * while the others wait for its entry.
   */
  boolean stampedeLock;
  /** Copies of entries kept in each JVM (see NearCacheSettings); {@code null}: none. */
  NearCacheSettings nearCache;
  /**
   * Share of an entry's life (0 to 0.99; 0: never) after which a hit on it reloads it in the
   * background, so that a key in use does not expire and make a caller wait for a load.
   */
  double refreshAhead;

  /** The largest {@code refreshAhead}: a reload begun later would come after most entries expired. */
  static final double MAX_REFRESH_AHEAD = 0.99;

  /** The keys of these settings, as {@code defaults} and each method write them. */
  static final List<String> KEYS = Immutable.listOf("ttl", "ttlJitter", "cacheNulls", "nullTtl", "stampedeLock", "nearCache", "refreshAhead");

  /** What a method gets when neither it nor {@code defaults} says otherwise. */
  public static final MethodSettings BUILT_IN =
      new MethodSettings(AgentConfig.DEFAULT_TTL, AgentConfig.DEFAULT_TTL_JITTER, false, null, false, null, 0);

  /**
   * The settings {@code section} (at {@code path}, e.g. {@code methods[2]}) gives, each one it does
   * not give taken from {@code inherited}. A bad value is reported to {@code in}'s problems.
   */
  static MethodSettings read(YamlReader in, Map<String, Node> section, String path, MethodSettings inherited) {
    Duration ttl = section.containsKey("ttl")
        ? in.positiveDuration(section.get("ttl"), path + ".ttl", inherited.ttl()) : inherited.ttl();
    double ttlJitter = section.containsKey("ttlJitter")
        ? in.percentage(section.get("ttlJitter"), path + ".ttlJitter", AgentConfig.MAX_TTL_JITTER, "10%", inherited.ttlJitter())
        : inherited.ttlJitter();
    boolean cacheNulls = section.containsKey("cacheNulls")
        ? in.bool(section.get("cacheNulls"), path + ".cacheNulls", inherited.cacheNulls()) : inherited.cacheNulls();
    Duration nullTtl = section.containsKey("nullTtl")
        ? in.positiveDuration(section.get("nullTtl"), path + ".nullTtl", inherited.nullTtl()) : inherited.nullTtl();
    boolean stampedeLock = section.containsKey("stampedeLock")
        ? in.bool(section.get("stampedeLock"), path + ".stampedeLock", inherited.stampedeLock()) : inherited.stampedeLock();
    NearCacheSettings nearCache = section.containsKey("nearCache")
        ? NearCacheSettings.read(in, section.get("nearCache"), path + ".nearCache", inherited.nearCache()) : inherited.nearCache();
    double refreshAhead = section.containsKey("refreshAhead")
        ? in.percentage(section.get("refreshAhead"), path + ".refreshAhead", MAX_REFRESH_AHEAD, "80%",
            inherited.refreshAhead())
        : inherited.refreshAhead();
    return new MethodSettings(ttl, ttlJitter, cacheNulls, nullTtl, stampedeLock, nearCache, refreshAhead);
  }

  /** These settings without the ones a batch method does not use, which {@code defaults} may have given it. */
  MethodSettings forBatch() {
    return new MethodSettings(ttl, ttlJitter, cacheNulls, nullTtl, false, null, 0);
  }
}
