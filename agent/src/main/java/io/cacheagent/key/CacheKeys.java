package io.cacheagent.key;

import io.cacheagent.jdk.Immutable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Builds the Redis keys of calls: {@code <keyPrefix>:<method>:k2:<arguments>}, where {@code
 * <method>} is the method's canonical signature and {@code <arguments>} the canonical text of the
 * key values (see {@link ArgumentEncoder}), replaced by its hash when longer than {@link
 * #MAX_ARGUMENT_TEXT}, when it holds an unpaired surrogate, or always with {@code redis.hashKeys}
 * (see {@link ArgumentHashing}). {@code k2} names the format of the
 * argument text, so that no entry written under an earlier format is read as one of this format.
 */
public final class CacheKeys {

  /** Longest argument text kept readable in a key, in characters; longer is hashed. */
  public static final int MAX_ARGUMENT_TEXT = 120;

  /** Longest string argument written out in a key; a longer one is written as its length and hash. */
  public static final int MAX_INLINE_STRING = ArgumentEncoder.INLINE_STRING;

  /** Most keys one eviction writes tombstones to; past it, it drops every entry of the method. */
  public static final int MAX_EVICTION_KEYS = 36;

  /** Names the format of the argument text in every key (see {@link KeyNames#namespace}). */
  static final String FORMAT = "k2:";

  private CacheKeys() {}

  /**
   * The key of a call of a cached method.
   *
   * @param namespace the method's, from {@link KeyNames#namespace}
   * @param generation the method's generation key, whose hash tag the key carries on Redis Cluster
   * @param expressions the key expressions, or {@code null} for all arguments
   * @param shape the shape of the method's key
   * @param self the instance the method was called on, {@code null} for a static method
   */
  public static String key(Namespace namespace, GenerationKey generation, List<KeyExpression> expressions, KeyShape shape, Object self, Object[] args)
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
    return namespace.keyOf(text.toString(), generation);
  }

  /**
   * The keys a write evicts from a cached method: one, or where a key part of the cached method is
   * not declared integral and the write's value is an integral number, one per integral type that
   * can hold the value (the read may have been called with 42 or 42L); at most {@link
   * #MAX_EVICTION_KEYS}, else {@link UnstableArgumentException}.
   *
   * @param namespace the cached method's, from {@link KeyNames#namespace}
   * @param generation the cached method's generation key
   * @param expressions the eviction's key expressions over the write's arguments, or {@code null}
   * @param cachedShape the shape of the cached method's key
   * @param self the instance the write was called on, {@code null} for a static method
   */
  public static List<String> evictionKeys(Namespace namespace, GenerationKey generation, List<KeyExpression> expressions, KeyShape cachedShape,
      Object self, Object[] args) throws UnstableArgumentException {
    List<String> texts = Immutable.listOf("");
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
      keys.add(namespace.keyOf(text, generation));
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
}
