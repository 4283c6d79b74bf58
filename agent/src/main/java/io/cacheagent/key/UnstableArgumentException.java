package io.cacheagent.key;

/**
 * An argument has no value that is stable across calls and JVMs (a lambda, a stream, a connection,
 * an object with identity only), so the call cannot be keyed and runs uncached.
 */
public class UnstableArgumentException extends Exception {

  private static final long serialVersionUID = 1L;

  public UnstableArgumentException(String message) {
    // No stack trace: this is a verdict about data, raised on the application's thread.
    super(message, null, false, false);
  }
}
