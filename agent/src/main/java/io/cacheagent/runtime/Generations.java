package io.cacheagent.runtime;

import io.cacheagent.config.MethodRule;
import io.cacheagent.key.CacheKeys;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/** The random numbers that generation keys hold (see CacheRuntime), as Redis stores them: decimal text. */
final class Generations {

  private Generations() {}

  /** The generation key of the method {@code rule} caches (see CacheKeys#generationKey). */
  static String keyOf(String keyPrefix, MethodRule rule) {
    return CacheKeys.generationKey(keyPrefix, rule.signature().toString(), rule.key());
  }

  /** A new random generation, never 0 (0 means "none"). */
  static long next() {
    long generation;
    do {
      generation = ThreadLocalRandom.current().nextLong();
    } while (generation == 0);
    return generation;
  }

  /** A new random generation, ready to store. */
  static byte[] nextFormatted() {
    return format(next());
  }

  static byte[] format(long generation) {
    return Long.toString(generation).getBytes(StandardCharsets.US_ASCII);
  }

  /** The generation a generation key holds; 0 when it holds none, or something else. */
  static long parse(byte[] bytes) {
    if (bytes == null) {
      return 0;
    }
    try {
      return Long.parseLong(new String(bytes, StandardCharsets.US_ASCII));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
