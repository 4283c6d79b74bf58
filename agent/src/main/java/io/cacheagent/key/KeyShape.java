package io.cacheagent.key;

import io.cacheagent.jdk.Immutable;
import java.util.List;
import java.util.Set;

/**
 * How each part of a cached method's key writes integral numbers: by value alone where the part is
 * declared integral ({@code long}, {@code Integer}...), so that a write whose argument is an
 * {@code int} evicts what a {@code long} read cached; with their type where the declaration does not
 * fix it ({@code Object}, {@code Number}, an interface), since there 42 and 42L are different
 * arguments that may have different answers.
 *
 * <p>Derived from the configuration text alone, the cached method's parameter types and key
 * expressions, so every JVM derives the same keys, also one that only writes and never loads the
 * cached class. A property chain ({@code args[0].customerId}) is taken as integral: the declared
 * type of a property is not in the text, and entity ids are commonly declared as a generic
 * {@code ID} or {@code Serializable} in one class and {@code long} in another.
 */
public final class KeyShape {

  private static final Set<String> INTEGRAL = Immutable.setOf("byte", "short", "int", "long",
      "java.lang.Byte", "java.lang.Short", "java.lang.Integer", "java.lang.Long", "java.math.BigInteger");

  private final boolean[] integralByValue;

  private KeyShape(boolean[] integralByValue) {
    this.integralByValue = integralByValue;
  }

  /**
   * The shape of a cached method's key.
   *
   * @param parameterTypes the cached method's parameter types as the configuration spells them
   * @param key its key expressions, or {@code null} for all arguments
   */
  public static KeyShape of(List<String> parameterTypes, List<KeyExpression> key) {
    if (key == null) {
      boolean[] parts = new boolean[parameterTypes.size()];
      for (int i = 0; i < parts.length; i++) {
        parts[i] = INTEGRAL.contains(parameterTypes.get(i));
      }
      return new KeyShape(parts);
    }
    boolean[] parts = new boolean[key.size()];
    for (int i = 0; i < parts.length; i++) {
      KeyExpression expression = key.get(i);
      int index = expression.argumentIndex();
      parts[i] = !expression.isBareArgument()
          || index < parameterTypes.size() && INTEGRAL.contains(parameterTypes.get(index));
    }
    return new KeyShape(parts);
  }

  /** Whether integral values of key part {@code part} are written by value alone. */
  boolean integralByValue(int part) {
    return part < integralByValue.length && integralByValue[part];
  }
}
