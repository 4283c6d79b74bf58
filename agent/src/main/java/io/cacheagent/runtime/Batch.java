package io.cacheagent.runtime;

import lombok.Value;

/**
 * How a method with {@code batch: args[N]} takes its elements and returns their values, as its
 * declaration says (see instrument.BatchShape).
 */
@Value
public class Batch {

  /** N: the argument that holds the collection of elements. */
  int argument;
  /**
   * Whether it returns a Map keyed by the elements; otherwise a List, one value per element in the
   * same order.
   */
  boolean returnsMap;
  /** The declared type of argument N: what a collection of the missing elements must be. */
  String parameterType;
}
