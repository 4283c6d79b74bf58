package io.cacheagent.key;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;

/**
 * Builds the Redis key of a call: {@code <keyPrefix>:<method>:<arguments>}, where {@code <method>}
 * is the method's canonical signature and {@code <arguments>} the canonical text of the key values
 * (see {@link ArgumentEncoder}), replaced by its SHA-256 when longer than {@link #MAX_ARGUMENT_TEXT}.
 */
public final class CacheKeys {

  /** Longest argument text kept readable in a key, in characters; longer is hashed. */
  public static final int MAX_ARGUMENT_TEXT = 120;

  private CacheKeys() {}

  /** The start of every key of a method, ending in a colon. */
  public static String namespace(String keyPrefix, String methodId) {
    return keyPrefix + ':' + methodId + ':';
  }

  /**
   * The key of the generation that {@code evictOn ... all: true} moves on, for a rule: its
   * signature as configured, and its key expressions when it has any. A reload that changes
   * either gets a new generation key, and so none of the entries stored under the old meaning
   * (another key shape, another set of overloads) is read again.
   */
  public static String generationKey(String keyPrefix, String signature, List<KeyExpression> key) {
    String id = key == null ? signature : signature + "[" + sha256(key.toString()).substring(0, 8) + "]";
    return keyPrefix + ':' + id + ":#generation";
  }

  /**
   * The key of a call.
   *
   * @param namespace from {@link #namespace}
   * @param expressions the key expressions, or {@code null} for all arguments
   */
  public static String key(String namespace, List<KeyExpression> expressions, Object[] args)
      throws UnstableArgumentException {
    StringBuilder text = new StringBuilder(32);
    if (expressions == null) {
      for (int i = 0; i < args.length; i++) {
        if (i > 0) {
          text.append(',');
        }
        ArgumentEncoder.encode(args[i], text);
      }
    } else {
      for (int i = 0; i < expressions.size(); i++) {
        if (i > 0) {
          text.append(',');
        }
        ArgumentEncoder.encode(expressions.get(i).evaluate(args), text);
      }
    }
    if (text.length() <= MAX_ARGUMENT_TEXT) {
      return namespace + text;
    }
    return namespace + '#' + sha256(text);
  }

  private static String sha256(CharSequence text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
