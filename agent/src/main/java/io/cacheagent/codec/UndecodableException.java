package io.cacheagent.codec;

/** Bytes under a key that are not a value this agent can read: foreign, truncated or of an older shape. */
public final class UndecodableException extends Exception {

  private static final long serialVersionUID = 1L;

  public UndecodableException(String message) {
    super(message, null, false, false);
  }
}
