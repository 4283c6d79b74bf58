package io.cacheagent.key;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * How this agent names its keys: the prefix every key starts with ({@code redis.keyPrefix}) and
 * how argument values are written ({@code redis.hashKeys}). Every JVM that shares a Redis must
 * name keys alike, or one's evictions miss the other's entries.
 */
public record KeyNames(String prefix, ArgumentHashing hashing) {

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
  public String generationKey(String signature, List<KeyExpression> key) {
    String id = key == null ? signature
        : signature + "[" + KeyText.sha256(key.toString().getBytes(StandardCharsets.UTF_8)).substring(0, 8) + "]";
    return prefix + ':' + id + ":#generation";
  }
}
