package io.cacheagent.codec;

/**
 * Bytes under a key that are not a value this agent can read: foreign, truncated, of an older
 * shape, refused (for a class the allow list does not take, or for a missing signature), or past
 * its signed expiry.
 */
public final class UndecodableException extends Exception {

  private static final long serialVersionUID = 1L;

  private final String refusedClass;
  private final boolean unsigned;
  private final boolean expired;

  public UndecodableException(String message) {
    this(message, null, false, false);
  }

  private UndecodableException(String message, String refusedClass, boolean unsigned, boolean expired) {
    super(message, null, false, false);
    this.refusedClass = refusedClass;
    this.unsigned = unsigned;
    this.expired = expired;
  }

  /** The bytes name a class that the allow list refuses: never loaded, never instantiated. */
  static UndecodableException refused(String className) {
    return new UndecodableException("class " + className + " is not allowed in cache entries", className, false, false);
  }

  /** The bytes do not end in a signature of this agent's signing key (see EntrySigning): none of them was read. */
  static UndecodableException unsigned() {
    return new UndecodableException("not signed with this agent's signing key", null, true, false);
  }

  /** The bytes are a signed entry whose signed expiry has passed (see EntrySigning): a miss, not a fault. */
  static UndecodableException expired() {
    return new UndecodableException("past the expiry it was signed with", null, false, true);
  }

  /** The refused class, or {@code null} when the bytes were undecodable for another reason. */
  public String refusedClass() {
    return refusedClass;
  }

  /** Whether the entry is past its signed expiry: a miss like any expired entry. */
  public boolean isExpired() {
    return expired;
  }

  /** Whether the entry was refused for its signature. */
  public boolean isUnsigned() {
    return unsigned;
  }
}
