package io.cacheagent.bootstrap;

/**
 * Arguments to run a batch method's body with instead of the ones it was called with: only the
 * elements that were not cached, when {@link Dispatcher#begin} returns it; its caller's own, to
 * run the body again, when {@link Dispatcher#complete} does (the method broke its batch contract).
 */
public class Arguments {

  public final Object[] values;

  public Arguments(Object[] values) {
    this.values = values;
  }
}
