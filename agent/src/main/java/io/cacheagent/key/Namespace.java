package io.cacheagent.key;

/**
 * The keys of one cached method: each is {@link #start} followed by the argument part, written as
 * {@link #hashing} says.
 */
public record Namespace(String start, ArgumentHashing hashing) {

  /**
   * The key whose argument text is {@code text}, of an entry that belongs to {@code generation}: on
   * Redis Cluster, it carries the hash tag of its group (see {@link GenerationKey}).
   */
  String keyOf(String text, GenerationKey generation) {
    String argumentPart = hashing.argumentPart(text);
    return start + generation.tagFor(argumentPart) + argumentPart;
  }

  @Override
  public String toString() {
    return start;
  }
}
