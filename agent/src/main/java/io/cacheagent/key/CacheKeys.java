package io.cacheagent.key;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Builds the Redis keys of calls: {@code <keyPrefix>:<method>:k2:<arguments>}, where {@code
 * <method>} is the method's canonical signature and {@code <arguments>} the canonical text of the
 * key values (see {@link ArgumentEncoder}), replaced by its SHA-256 when longer than {@link
 * #MAX_ARGUMENT_TEXT} or when it holds an unpaired surrogate. {@code k2} names the format of the
 * argument text, so that no entry written under an earlier format is read as one of this format.
 */
public final class CacheKeys {

  /** Longest argument text kept readable in a key, in characters; longer is hashed. */
  public static final int MAX_ARGUMENT_TEXT = 120;

  /** Most keys one eviction writes tombstones to; past it, it drops every entry of the method. */
  public static final int MAX_EVICTION_KEYS = 36;

  private static final String FORMAT = "k2:";

  private CacheKeys() {}

  /** The start of every key of a method, ending in a colon. */
  public static String namespace(String keyPrefix, String methodId) {
    return keyPrefix + ':' + methodId + ':' + FORMAT;
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
   * The key of a call of a cached method.
   *
   * @param namespace from {@link #namespace}
   * @param expressions the key expressions, or {@code null} for all arguments
   * @param shape the shape of the method's key
   * @param self the instance the method was called on, {@code null} for a static method
   */
  public static String key(String namespace, List<KeyExpression> expressions, KeyShape shape, Object self, Object[] args)
      throws UnstableArgumentException {
    KeyText text = new KeyText();
    Object[] values = values(expressions, self, args);
    for (int i = 0; i < values.length; i++) {
      if (i > 0) {
        text.append(',');
      }
      ArgumentEncoder.encode(values[i], shape.integralByValue(i), text);
      text.checkBudget(); // text written out whole (a long URI, a huge BigInteger) counts too
    }
    return finish(namespace, text.toString());
  }

  /**
   * The keys a write evicts from a cached method: one, or where a key part of the cached method is
   * not declared integral and the write's value is an integral number, one per integral type that
   * can hold the value (the read may have been called with 42 or 42L); at most {@link
   * #MAX_EVICTION_KEYS}, else {@link UnstableArgumentException}.
   *
   * @param namespace the cached method's {@link #namespace}
   * @param expressions the eviction's key expressions over the write's arguments, or {@code null}
   * @param cachedShape the shape of the cached method's key
   * @param self the instance the write was called on, {@code null} for a static method
   */
  public static List<String> evictionKeys(String namespace, List<KeyExpression> expressions, KeyShape cachedShape,
      Object self, Object[] args) throws UnstableArgumentException {
    List<String> texts = List.of("");
    Object[] values = values(expressions, self, args);
    for (int i = 0; i < values.length; i++) {
      List<Object> variants = cachedShape.integralByValue(i) || !ArgumentEncoder.isIntegral(values[i])
          ? Collections.singletonList(values[i])
          : IntegralVariants.of(values[i]);
      if (texts.size() * variants.size() > MAX_EVICTION_KEYS) {
        throw new UnstableArgumentException("it would evict more than " + MAX_EVICTION_KEYS + " keys");
      }
      List<String> parts = new ArrayList<>(variants.size()); // each written once, then combined
      for (Object variant : variants) {
        KeyText text = new KeyText();
        ArgumentEncoder.encode(variant, cachedShape.integralByValue(i), text);
        text.checkBudget();
        parts.add(text.toString());
      }
      List<String> next = new ArrayList<>(texts.size() * parts.size());
      for (String start : texts) {
        for (String part : parts) {
          next.add(i == 0 ? part : start + ',' + part);
        }
      }
      texts = next;
    }
    List<String> keys = new ArrayList<>(texts.size());
    for (String text : texts) {
      keys.add(finish(namespace, text));
    }
    return keys;
  }

  private static Object[] values(List<KeyExpression> expressions, Object self, Object[] args)
      throws UnstableArgumentException {
    if (expressions == null) {
      return args;
    }
    Object[] values = new Object[expressions.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = expressions.get(i).evaluate(self, args);
    }
    return values;
  }

  private static String finish(String namespace, String text) {
    if (text.length() <= MAX_ARGUMENT_TEXT && !hasUnpairedSurrogate(text)) {
      return namespace + text;
    }
    return namespace + '#' + KeyText.sha256Utf16(text);
  }

  private static boolean hasUnpairedSurrogate(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return true;
      }
    }
    return false;
  }

  private static String sha256(CharSequence text) {
    return KeyText.sha256(text.toString().getBytes(StandardCharsets.UTF_8));
  }
}
