package io.cacheagent.key;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * An integral value as each integral type that can hold it: 42 is the byte, short, int, long and
 * BigInteger 42. An eviction uses them where the cached method's key part is declared {@code
 * Object} or {@code Number}, so that it reaches the entry whichever of them the read was called with.
 */
final class IntegralVariants {

  private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
  private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

  private IntegralVariants() {}

  static List<Object> of(Object integral) {
    BigInteger value = integral instanceof BigInteger ? (BigInteger) integral
        : BigInteger.valueOf(((Number) integral).longValue());
    List<Object> variants = new ArrayList<>(5);
    if (value.compareTo(LONG_MIN) >= 0 && value.compareTo(LONG_MAX) <= 0) {
      long v = value.longValue();
      if (v == (byte) v) {
        variants.add((byte) v);
      }
      if (v == (short) v) {
        variants.add((short) v);
      }
      if (v == (int) v) {
        variants.add((int) v);
      }
      variants.add(v);
    }
    variants.add(value);
    return variants;
  }
}
