package io.cacheagent.runtime;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.cacheagent.bootstrap.Hit;
import io.cacheagent.config.MethodRule;
import io.cacheagent.config.NearCacheSettings;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One cached method's near copies in this JVM: what Redis held under an entry key, the entry and
 * its generation as one MGET read them, kept while Redis tracks the key (see NearCaches).
 *
 * <p>A copy is void when its key changes (removed), when one of the method's generation keys
 * changes (every copy: the count of such changes moves, in O(1), for this runs on Lettuce's event
 * loop), or when the store's epoch moves. While this JVM's own write of a key is in flight, no
 * copy of it is made: a read sent before the write would copy what the write makes stale, and a
 * write method that does not wait for its evictions would then read it back.
 */
final class NearCache {

  /**
   * A copy under its generation key, made under the store's {@code epoch} and the cache's count of
   * generation changes {@code voidAll}: void when either moved, and once it expires. With
   * shareInstances, it also keeps the hit its first decode gave, for the hits after it.
   */
  static final class Copy {
    final byte[] entry;
    /** The entry's generation, as the read found it (parsed once: a hit from a copy parses nothing). */
    final long generation;
    /** When the read that made it was sent. */
    final long readNanos;
    private final String generationKey;
    private final long epoch;
    private final long voidAll;
    private volatile Hit shared;

    private Copy(byte[] entry, long generation, String generationKey, Reading reading) {
      this.entry = entry;
      this.generation = generation;
      this.generationKey = generationKey;
      this.epoch = reading.epoch;
      this.voidAll = reading.voidAll;
      this.readNanos = reading.readNanos;
    }

    /** The hit every hit of this copy shares (shareInstances); {@code null} before its first decode. */
    Hit shared() {
      return shared;
    }

    /** Keeps {@code hit} for the hits after this one to share. */
    void share(Hit hit) {
      shared = hit;
    }
  }

  /**
   * Holds a key's place while its read is in flight. A change heard of meanwhile removes it, and
   * the read's answer is then not kept: it may predate the change.
   */
  static final class Reading {
    final long epoch;
    final long voidAll;
    final long readNanos;

    private Reading(long epoch, long voidAll, long readNanos) {
      this.epoch = epoch;
      this.voidAll = voidAll;
      this.readNanos = readNanos;
    }
  }

  private final MethodRule rule;
  /** How long a copy lives, from its read: checked on the clock reading a lookup takes anyway (see NearCaches). */
  private final long ttlNanos;
  private final Cache<String, Object> copies;
  /** The generation keys of the copies and readings: a change to one voids them all. */
  private final Set<String> generationKeys = ConcurrentHashMap.newKeySet();
  /** Moves when a generation key changes: every copy made before is void. */
  private final AtomicLong voidAll = new AtomicLong();
  /** The keys of recent calls, for the key space in use: see RecentKeys. */
  private volatile RecentKeys recentKeys;
  /** Keys this JVM is writing now (entry and generation keys), with how many writes of each are in flight. */
  private final Map<String, Integer> writing = new ConcurrentHashMap<>();

  /** For the method as {@code rule} configures it; a copy lives at most its nearCache ttl, and never longer than its entries. */
  NearCache(MethodRule rule) {
    this.rule = rule;
    NearCacheSettings settings = rule.nearCache();
    this.ttlNanos = shortest(settings.ttl(), rule.ttl(), rule.nullTtl()).toNanos();
    // No expireAfterWrite: it would read the clock on every hit, and a clock read costs as much as
    // the rest of a hit. A copy checks its own expiry; expired ones go as the size bound evicts.
    this.copies = Caffeine.newBuilder()
        .maximumSize(settings.maxEntries())
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

  /**
   * The copy of {@code key} under {@code generationKey} made under {@code epoch} and not expired at
   * {@code nowNanos}; {@code null} when there is none.
   */
  Copy copy(String key, String generationKey, long epoch, long nowNanos) {
    Object held = copies.getIfPresent(key);
    if (!(held instanceof Copy)) {
      return null;
    }
    Copy copy = (Copy) held;
    return !isVoid(copy, epoch, nowNanos) && copy.generationKey.equals(generationKey) ? copy : null;
  }

  /** The keys of recent calls made in {@code space}. */
  RecentKeys recentKeys(CachedMethod.KeySpace space) {
    RecentKeys current = recentKeys;
    if (current == null || !current.isFor(space)) {
      current = new RecentKeys(space, rule.nearCache().maxEntries());
      recentKeys = current;
    }
    return current;
  }

  /** Whether hits of a copy share one decoded result (nearCache.shareInstances). */
  boolean sharesInstances() {
    return rule.nearCache().shareInstances();
  }

  /**
   * Holds {@code key}'s place for a read about to be sent; {@code null} when no copy may be made of
   * it (another read holds the place, this JVM is writing it).
   */
  Reading startReading(String key, String generationKey, long epoch, long readNanos) {
    generationKeys.add(generationKey); // first: a change to it heard of from now on voids what is read
    Reading reading = new Reading(epoch, voidAll.get(), readNanos);
    Object before = copies.asMap().putIfAbsent(key, reading);
    boolean placed = before == null || isVoid(before, epoch, readNanos) && copies.asMap().replace(key, before, reading);
    if (!placed) {
      return null;
    }
    if (writing.containsKey(key) || writing.containsKey(generationKey)) { // checked after placing: see writing()
      copies.asMap().remove(key, reading);
      return null;
    }
    return reading;
  }

  /**
   * Whether what holds a key's place may be replaced: a copy of another epoch or generation, or
   * expired; a reading of another epoch, or begun a ttl ago (its read ended long since: a thread
   * that never gave its place up must not keep the key from being copied for good).
   */
  private boolean isVoid(Object held, long epoch, long nowNanos) {
    if (held instanceof Copy) {
      Copy copy = (Copy) held;
      return copy.epoch != epoch || copy.voidAll != voidAll.get() || isOld(copy.readNanos, nowNanos);
    }
    Reading reading = (Reading) held;
    return reading.epoch != epoch || isOld(reading.readNanos, nowNanos);
  }

  /** Whether a read sent at {@code readNanos} was sent a ttl or more before {@code nowNanos}. */
  private boolean isOld(long readNanos, long nowNanos) {
    return nowNanos - readNanos >= ttlNanos;
  }

  /**
   * Keeps what the read answered, {@code entry} of {@code generation} ({@code null}: nothing to
   * keep), under {@code generationKey}, unless a change was heard of since its place was taken or
   * the epoch is no longer the one it began under; otherwise gives the place up.
   */
  void finishReading(String key, String generationKey, Reading reading, byte[] entry, long generation, long epochNow) {
    if (entry != null && epochNow == reading.epoch && voidAll.get() == reading.voidAll) {
      copies.asMap().replace(key, reading, new Copy(entry, generation, generationKey, reading));
    } else {
      copies.asMap().remove(key, reading);
    }
  }

  /** {@code key} may have changed: its copy is void; if it is a generation key, every copy is. */
  void changed(String key) {
    if (generationKeys.contains(key)) {
      voidAll.incrementAndGet();
    } else {
      copies.invalidate(key);
    }
  }

  /** This JVM is about to write {@code key}: its copies are void, and none is made until {@link #written}. */
  void writing(String key) {
    writing.merge(key, 1, Integer::sum); // before the void: see startReading
    changed(key);
  }

  /** This JVM's write of {@code key} ended (confirmed or not): void again what was read before Redis ran it. */
  void written(String key) {
    changed(key);
    writing.computeIfPresent(key, (k, count) -> count == 1 ? null : count - 1);
  }

  private static Duration shortest(Duration... durations) {
    Duration shortest = durations[0];
    for (Duration d : durations) {
      shortest = d.compareTo(shortest) < 0 ? d : shortest;
    }
    return shortest;
  }
}
