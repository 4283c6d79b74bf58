package io.cacheagent.key;

import java.util.List;
import lombok.Value;

/**
 * How this agent names its keys: the prefix every key starts with ({@code redis.keyPrefix}) and
 * how argument values are written ({@code redis.hashKeys}). Every JVM that shares a Redis must
 * name keys alike, or one's evictions miss the other's entries.
 */
@Value
public class KeyNames {

  /** What every key starts with ({@code redis.keyPrefix}). */
  String prefix;
  /** How argument values are written ({@code redis.hashKeys}). */
  ArgumentHashing hashing;
  /** In how many groups a method's entries fall on Redis Cluster; 0 on one server. */
  int slotGroups;

  /**
   * In how many groups, each in its own hash slot, a method's entries fall on Redis Cluster (see
   * {@link GenerationKey}). Enough to reach every master of a cluster of a few (with 3 masters, the
   * chance that one gets none of a method's groups is 3 x (2/3)^32, about 1 in 130,000); few
   * enough that a drop of every entry, which writes one generation key per group, stays cheap.
   * Every JVM on one cluster must use the same number: it is part of the key names.
   */
  public static final int CLUSTER_SLOT_GROUPS = 32;

  public KeyNames(String prefix, ArgumentHashing hashing, int slotGroups) {
    this.prefix = prefix;
    this.hashing = hashing;
    this.slotGroups = slotGroups;
  }

  /** Key names for one Redis server: no hash tags. */
  public KeyNames(String prefix, ArgumentHashing hashing) {
    this(prefix, hashing, 0);
  }

  /** These key names, spread over the hash slots of a Redis Cluster. */
  public KeyNames onCluster() {
    return new KeyNames(prefix, hashing, CLUSTER_SLOT_GROUPS);
  }

  /** Keys under {@code prefix} with readable argument text. */
  public static KeyNames readable(String prefix) {
    return new KeyNames(prefix, ArgumentHashing.READABLE);
  }

  /** The keys of a method: {@code <prefix>:<methodId>:k2:...}. */
  public Namespace namespace(String methodId) {
    return new Namespace(prefix + ':' + methodId + ':' + CacheKeys.FORMAT, hashing);
  }

  /**
   * The key of the generation that {@code evictOn ... all: true} moves on, for a rule: its
   * signature as configured, and its key expressions when it has any. A reload that changes
   * either gets a new generation key, and so none of the entries stored under the old meaning
   * (another key shape, another set of overloads) is read again.
   */
  public GenerationKey generationKey(String signature, List<KeyExpression> key) {
    String id = key == null ? signature
        : signature + "[" + KeyText.shortHash(key.toString()) + "]";
    return new GenerationKey(prefix + ':' + id + ":#generation", slotGroups);
  }
}
