package io.cacheagent.runtime;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.cacheagent.config.MethodRule;
import io.cacheagent.config.NearCacheSettings;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One cached method's near copies in this JVM: what Redis held under an entry key, the entry and
 * its generation as one MGET read them, kept while Redis tracks the key (see NearCaches).
 */
final class NearCache {

  /** A copy, made under {@code epoch}: void under any other. */
  private record Copy(byte[] entry, byte[] generation, long epoch) {}

  /**
   * Holds a key's place while its read is in flight. A change heard of meanwhile removes it, and
   * the read's answer is then not kept: it may predate the change.
   */
  static final class Reading {
    final long epoch;

    private Reading(long epoch) {
      this.epoch = epoch;
    }
  }

  private final MethodRule rule;
  private final Cache<String, Object> copies;
  /** The generation keys of the copies and readings: a change to one voids them all. */
  private final Set<String> generationKeys = ConcurrentHashMap.newKeySet();

  /** For the method as {@code rule} configures it; a copy lives at most its nearCache ttl, and never longer than its entries. */
  NearCache(MethodRule rule) {
    this.rule = rule;
    NearCacheSettings settings = rule.nearCache();
    Duration ttl = shortest(settings.ttl(), rule.ttl(), rule.nullTtl());
    this.copies = Caffeine.newBuilder()
        .maximumSize(settings.maxEntries())
        .expireAfterWrite(ttl)
        .executor(Runnable::run) // its upkeep runs on the caller's thread, never in the application's common pool
        .build();
  }

  /**
   * Whether it was made for {@code current}. A reloaded rule gets a new near cache, empty: its key
   * may name other arguments under the same entry keys, whose copies must not be served.
   */
  boolean isFor(MethodRule current) {
    return current == rule;
  }

  /** The copy of {@code key} made under {@code epoch}: {entry, generation}; {@code null} when there is none. */
  byte[][] copy(String key, long epoch) {
    return copies.getIfPresent(key) instanceof Copy copy && copy.epoch() == epoch
        ? new byte[][] {copy.entry(), copy.generation()} : null;
  }

  /**
   * Holds {@code key}'s place for a read about to be sent; {@code null} when another read holds it
   * (that one's answer is kept, not this one's).
   */
  Reading startReading(String key, String generationKey, long epoch) {
    generationKeys.add(generationKey); // first: a change to it heard of from now on removes the place
    Reading reading = new Reading(epoch);
    Object before = copies.asMap().putIfAbsent(key, reading);
    if (before == null || before instanceof Copy old && old.epoch() != epoch && copies.asMap().replace(key, old, reading)) {
      return reading;
    }
    return null;
  }

  /**
   * Keeps what the read answered, {@code found}, as long as no change to the key was heard of
   * since its place was taken and the epoch is still the one it began under; otherwise gives the
   * place up.
   */
  void finishReading(String key, Reading reading, byte[][] found, long epochNow) {
    if (found != null && epochNow == reading.epoch) {
      copies.asMap().replace(key, reading, new Copy(found[0], found[1], reading.epoch));
    } else {
      copies.asMap().remove(key, reading);
    }
  }

  /** {@code key} may have changed: its copy is void; if it is a generation key, every copy is. */
  void changed(String key) {
    if (generationKeys.contains(key)) {
      copies.invalidateAll();
    } else {
      copies.invalidate(key);
    }
  }

  static Duration shortest(Duration... durations) {
    Duration shortest = durations[0];
    for (Duration d : durations) {
      shortest = d.compareTo(shortest) < 0 ? d : shortest;
    }
    return shortest;
  }
}
