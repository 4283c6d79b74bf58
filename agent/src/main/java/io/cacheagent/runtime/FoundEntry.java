package io.cacheagent.runtime;

import io.cacheagent.key.GenerationKey;
import lombok.Value;

/**
 * What a lookup found in the store for its key: the bytes there ({@code null}: none), the
 * generation its entry goes under, and whether it made that generation up; when the read was sent.
 */
@Value
class FoundEntry {
  String key;
  GenerationKey generations;
  String generationKey;
  long generation;
  boolean generationInvented;
  byte[] seen;
  long readNanos;

  /** The generation found in the store: {@link Generations#NONE} when there was none. */
  long generationFound() {
    return generationInvented ? Generations.NONE : generation;
  }
}
