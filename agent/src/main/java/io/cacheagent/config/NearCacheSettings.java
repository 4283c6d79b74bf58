package io.cacheagent.config;

import io.cacheagent.jdk.Immutable;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.nodes.MappingNode;
import lombok.Value;
import org.yaml.snakeyaml.nodes.Node;

/**
 * A method's near cache: copies of its entries kept in each JVM, served without a round trip to
 * Redis, and dropped when Redis says the key changed (see runtime.NearCaches).
 */
@Value
public class NearCacheSettings {

  /** Most copies each JVM keeps of the method's entries; the least used go first. */
  int maxEntries;
  /** Longest a copy is served after it was read from Redis; never longer than the method's {@code ttl}. */
  Duration ttl;
  /**
   * Whether the hits of a copy share one decoded result, which the operator knows no caller changes;
   * otherwise each hit decodes its own.
   */
  boolean shareInstances;

  /** What {@code nearCache: true}, or a mapping that leaves them out, gives. */
  public static final NearCacheSettings BUILT_IN = new NearCacheSettings(10_000, Duration.ofMinutes(1), false);

  /** Most copies a method may keep: a million, whose bytes an operator would rather size in Redis. */
  static final int MAX_ENTRIES = 1_000_000;

  private static final List<String> KEYS = Immutable.listOf("maxEntries", "ttl", "shareInstances");

  /**
   * What {@code node} (at {@code path}) says: {@code false} is off ({@code null}), {@code true} the
   * built-in settings, a mapping its own, each left out taken from {@code inherited} (or the
   * built-in ones). A bad value is reported to {@code in}'s problems and gives {@code inherited}.
   */
  static NearCacheSettings read(YamlReader in, Node node, String path, NearCacheSettings inherited) {
    NearCacheSettings base = inherited == null ? BUILT_IN : inherited;
    if (!(node instanceof MappingNode)) {
      Boolean on = in.bool(node, path);
      return on == null ? inherited : on ? base : null;
    }
    Map<String, Node> section = in.mapping(node, path, KEYS);
    if (section == null) {
      return inherited;
    }
    int maxEntries = section.containsKey("maxEntries")
        ? in.boundedInt(section.get("maxEntries"), path + ".maxEntries", 1, MAX_ENTRIES, base.maxEntries()) : base.maxEntries();
    Duration ttl = section.containsKey("ttl")
        ? in.positiveDuration(section.get("ttl"), path + ".ttl", base.ttl()) : base.ttl();
    boolean shareInstances = section.containsKey("shareInstances")
        ? in.bool(section.get("shareInstances"), path + ".shareInstances", base.shareInstances()) : base.shareInstances();
    return new NearCacheSettings(maxEntries, ttl, shareInstances);
  }
}
