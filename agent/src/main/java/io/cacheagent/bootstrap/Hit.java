package io.cacheagent.bootstrap;

/**
 * A cached result. Non-null even when the cached result is {@code null}, so that the advice can
 * tell "skip the body" apart from "run it".
 */
public final class Hit {

  /** The value to return instead of running the method; already checked against its return type. */
  public final Object value;

  public Hit(Object value) {
    this.value = value;
  }
}
