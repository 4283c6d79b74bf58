package io.cacheagent.codec;

/** Bytes under a key that are not a value this agent can read: foreign, truncated, of an older shape, or refused. */
public final class UndecodableException extends Exception {

  private static final long serialVersionUID = 1L;

  private final String refusedClass;

  public UndecodableException(String message) {
    this(message, null);
  }

  private UndecodableException(String message, String refusedClass) {
    super(message, null, false, false);
    this.refusedClass = refusedClass;
  }

  /** The bytes name a class that the allow list refuses: never loaded, never instantiated. */
  static UndecodableException refused(String className) {
    return new UndecodableException("class " + className + " is not allowed in cache entries", className);
  }

  /** The refused class, or {@code null} when the bytes were undecodable for another reason. */
  public String refusedClass() {
    return refusedClass;
  }
}
