package io.cacheagent.key;

import lombok.Value;

/**
 * The keys of one cached method: each is {@link #start} followed by the argument part, written as
 * {@link #hashing} says.
 */
@Value
public class Namespace {

  /** What every key of the method starts with. */
  String start;
  /** How the argument part is written. */
  ArgumentHashing hashing;

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
