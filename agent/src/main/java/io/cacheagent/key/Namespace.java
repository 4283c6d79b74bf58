package io.cacheagent.key;

/**
 * The keys of one cached method: each is {@link #start} followed by the argument part, written as
 * {@link #hashing} says.
 */
public record Namespace(String start, ArgumentHashing hashing) {

  /** The key whose argument text is {@code text}. */
  String keyOf(String text) {
    return start + hashing.argumentPart(text);
  }

  @Override
  public String toString() {
    return start;
  }
}
