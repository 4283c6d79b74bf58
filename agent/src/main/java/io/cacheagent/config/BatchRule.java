package io.cacheagent.config;

import io.cacheagent.key.KeyExpression;
import io.cacheagent.key.UnstableArgumentException;
import lombok.Value;

/**
 * A method's {@code batch}: the argument whose collection of elements (ids) is cached one entry per
 * element, how to tell which element each value of a List is for, and whose entries they are.
 */
@Value
public class BatchRule {

  /** N of {@code args[N]}. */
  int argument;
  /**
   * The property of a value that equals its element ({@code id} for {@code Product.getId()}), as the
   * operator wrote it; {@code null}: a List holds one value per element, in the same order.
   */
  String valueId;
  /** Reads {@code valueId} of a value; {@code null} when there is none. */
  KeyExpression valueIdReader;
  /**
   * The single-item method whose entries the elements are ({@code com.acme.Repo#findById(long)}), as
   * written; {@code null}: the batch method's own.
   */
  MethodSignature entriesOf;
  /**
   * The rule of {@code entriesOf}, once the whole file was read: its keys, generation, evictions and
   * settings are the batch's.
   */
  MethodRule shared;

  /** A batch whose List results hold one value per element, in order (or that returns a Map). */
  public static BatchRule of(int argument) {
    return new BatchRule(argument, null, null, null, null);
  }

  /**
   * A batch whose List values are matched to elements by {@code valueId} (e.g. {@code id} or
   * {@code key.id}) when it is not {@code null}, and whose entries are those of {@code entriesOf}
   * when that is not.
   */
  public static BatchRule of(int argument, String valueId, MethodSignature entriesOf) {
    return new BatchRule(argument, valueId, valueId == null ? null : KeyExpression.parse("args[0]." + valueId), entriesOf, null);
  }

  /** This batch, its {@code entriesOf} resolved to that method's rule. */
  BatchRule sharing(MethodRule single) {
    return new BatchRule(argument, valueId, valueIdReader, entriesOf, single);
  }

  /** The element {@code value} is for: its {@link #valueId}. */
  public Object elementOf(Object value) throws UnstableArgumentException {
    return valueIdReader.evaluate(null, new Object[] {value});
  }

  @Override
  public String toString() {
    if (valueId == null && entriesOf == null) {
      return "args[" + argument + "]";
    }
    return "{argument: args[" + argument + "]" + (valueId == null ? "" : ", valueId: " + valueId)
        + (entriesOf == null ? "" : ", entriesOf: " + entriesOf) + "}";
  }
}
