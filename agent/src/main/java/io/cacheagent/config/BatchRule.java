package io.cacheagent.config;

import io.cacheagent.key.KeyExpression;
import io.cacheagent.key.UnstableArgumentException;

/**
 * A method's {@code batch}: the argument whose collection of elements (ids) is cached one entry per
 * element, and, for a method that returns a List, how to tell which element each value is for.
 *
 * @param argument N of {@code args[N]}
 * @param valueId the property of a value that equals its element ({@code id} for {@code
 *     Product.getId()}), as the operator wrote it; {@code null}: a List holds one value per
 *     element, in the same order
 * @param valueIdReader reads {@code valueId} of a value; {@code null} when there is none
 */
public record BatchRule(int argument, String valueId, KeyExpression valueIdReader) {

  /** A batch whose List results hold one value per element, in order (or that returns a Map). */
  public static BatchRule of(int argument) {
    return new BatchRule(argument, null, null);
  }

  /** A batch whose List values are matched to elements by {@code valueId}, e.g. {@code id} or {@code key.id}. */
  public static BatchRule matchedBy(int argument, String valueId) {
    return new BatchRule(argument, valueId, KeyExpression.parse("args[0]." + valueId));
  }

  /** The element {@code value} is for: its {@link #valueId}. */
  public Object elementOf(Object value) throws UnstableArgumentException {
    return valueIdReader.evaluate(null, new Object[] {value});
  }

  @Override
  public String toString() {
    return valueId == null ? "args[" + argument + "]" : "{argument: args[" + argument + "], valueId: " + valueId + "}";
  }
}
