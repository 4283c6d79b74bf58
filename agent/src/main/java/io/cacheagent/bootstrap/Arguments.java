package io.cacheagent.bootstrap;

/**
 * Arguments to run a batch method's body with instead of the ones it was called with: only the
 * elements that were not cached, when {@link Dispatcher#begin} returns it; its caller's own, to
 * run the body again, when {@link Dispatcher#complete} does (the method broke its batch contract).
 */
public class Arguments {

  public final Object[] values;
  /**
   * The caller's own arguments when {@link #values} are not: what the body runs with again if its
   * result cannot be merged, whatever the reason; {@code null} when the body runs with them already.
   */
  public final Object[] callers;

  public Arguments(Object[] values, Object[] callers) {
    this.values = values;
    this.callers = callers;
  }
}
