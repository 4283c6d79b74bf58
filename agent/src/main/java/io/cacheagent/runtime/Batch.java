package io.cacheagent.runtime;

/**
 * How a method with {@code batch: args[N]} takes its elements and returns their values, as its
 * declaration says (see instrument.BatchShape).
 *
 * @param argument N: the argument that holds the collection of elements
 * @param returnsMap whether it returns a Map keyed by the elements; otherwise a List, one value per
 *     element in the same order
 * @param parameterType the declared type of argument N: what a collection of the missing elements must be
 */
public record Batch(int argument, boolean returnsMap, String parameterType) {}
