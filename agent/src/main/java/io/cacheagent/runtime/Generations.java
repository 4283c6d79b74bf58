package io.cacheagent.runtime;

import io.cacheagent.codec.ValueCodec;
import io.cacheagent.config.MethodRule;
import io.cacheagent.key.GenerationKey;
import io.cacheagent.key.KeyNames;
import io.cacheagent.store.CacheStore;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/** The random numbers that generation keys hold (see CacheRuntime), as Redis stores them: decimal text. */
final class Generations {

  /**
   * What a generation key holds when it holds no generation: never set, expired, evicted by Redis,
   * or not a number. A caller that finds it makes one up (see CacheRuntime).
   */
  static final long NONE = 0;

  private Generations() {}

  /** The generation key of the method {@code rule} caches (see KeyNames#generationKey). */
  static GenerationKey keyOf(KeyNames keyNames, MethodRule rule) {
    return keyNames.generationKey(rule.signature().toString(), rule.key());
  }

  /**
   * Drops every entry of a method: one new generation, written to every copy of its generation key
   * (one on a single server, one per slot group on a cluster). Completes when the store confirmed
   * every copy, exceptionally when it did not confirm one.
   */
  static CompletableFuture<?> dropAll(CacheStore store, GenerationKey key) {
    byte[] next = nextFormatted();
    List<String> copies = key.all();
    if (copies.size() == 1) {
      return store.set(copies.get(0), next).toCompletableFuture();
    }
    CompletableFuture<?>[] written = new CompletableFuture<?>[copies.size()];
    for (int i = 0; i < written.length; i++) {
      written[i] = store.set(copies.get(i), next).toCompletableFuture();
    }
    return CompletableFuture.allOf(written);
  }

  /**
   * Drops the entries of a method that {@code affected} names: one new generation, written to each
   * copy of its generation key that {@code affected} accepts (all entries of a copy's slot group
   * share its slot). Completes when the store confirmed them all; at once when there are none.
   */
  static CompletableFuture<?> dropWhere(CacheStore store, GenerationKey key, Predicate<String> affected) {
    byte[] next = nextFormatted();
    return CompletableFuture.allOf(key.all().stream()
        .filter(affected)
        .map(copy -> store.set(copy, next).toCompletableFuture())
        .toArray(CompletableFuture<?>[]::new));
  }

  /** A new random generation: never {@link #NONE}, nor the generation of a tombstone. */
  static long next() {
    long generation;
    do {
      generation = ThreadLocalRandom.current().nextLong();
    } while (generation == NONE || generation == ValueCodec.NO_ENTRY_GENERATION);
    return generation;
  }

  /** A new random generation, ready to store. */
  static byte[] nextFormatted() {
    return format(next());
  }

  static byte[] format(long generation) {
    return Long.toString(generation).getBytes(StandardCharsets.US_ASCII);
  }

  /** The generation a generation key holds; {@link #NONE} when it holds none, or something else. */
  static long parse(byte[] bytes) {
    if (bytes == null) {
      return NONE;
    }
    try {
      return Long.parseLong(new String(bytes, StandardCharsets.US_ASCII));
    } catch (NumberFormatException e) {
      return NONE;
    }
  }
}
