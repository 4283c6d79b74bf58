package io.cacheagent.runtime;

import io.cacheagent.bootstrap.Hit;
import io.cacheagent.config.MethodRule;
import io.cacheagent.key.UnstableArgumentException;
import io.cacheagent.store.CacheStore;
import io.cacheagent.store.Invalidations;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import lombok.Value;

/*
 * The near caches of the methods whose rule has a nearCache: copies of their entries in this JVM,
 * served without a round trip to Redis.
 *
 * A copy is kept only while Redis tracks its keys for this JVM (store.Invalidations): Redis tells
 * of every change to a key the JVM read, and the copies of that key go; a change to a method's
 * generation key voids all its copies. This JVM's own writes void them before they are sent and
 * again once Redis ran them, and no copy of a key is made while this JVM writes it, so a write
 * method returns with its copies gone, whether it waited for Redis or not. Another JVM's write
 * reaches the copies when Redis's message does: typically within a millisecond of the write
 * returning, and at worst within the heartbeat plus the command timeout (see store.KeyTracking),
 * the window the README states. While Redis cannot promise that (not connected, tracking off, a
 * heartbeat missed, the breaker open), no copy is served or made, and those made before a
 * disconnect are void.
 *
 * A read that may be kept holds its key's place first (NearCache.Reading); a change heard of while
 * it is in flight removes the place, and its answer is not kept. Only entries the method could
 * serve (current, of its generation and shape) are kept: misses always read Redis.
 */
final class NearCaches implements Invalidations.Listener {

  /**
   * What a lookup read: the entry ({@code null}: none) and its generation, unless the store did not
   * answer; whether they came from a copy, and that copy if its hits share one decoded result;
   * when the read was sent (for a copy, the read that made it).
   */
  @Value
  static class Read {
    boolean answered;
    byte[] entry;
    long generation;
    boolean near;
    NearCache.Copy sharing;
    long readNanos;

    static final Read UNANSWERED = new Read(false, null, Generations.NONE, false, null, 0);

    /** The hit the copy's hits share; {@code null} when there is none yet, or the copy shares nothing. */
    Hit shared() {
      return sharing == null ? null : sharing.shared();
    }
  }

  private final CacheStore store;
  private final Invalidations invalidations;
  /** {@code System.nanoTime}, or a test's clock: read once per lookup. */
  private final LongSupplier nanoClock;
  /** The methods that have had a near cache: what Redis and this JVM's writes tell goes to each one's current cache. */
  private final Set<CachedMethod> methods = ConcurrentHashMap.newKeySet();

  NearCaches(CacheStore store, LongSupplier nanoClock) {
    this.store = store;
    this.invalidations = store.invalidations();
    this.nanoClock = nanoClock;
  }

  /** The key of calling {@code method} with {@code args}; remembered, for a method with a nearCache (see RecentKeys). */
  String keyFor(CachedMethod method, CachedMethod.KeySpace space, Object self, Object[] args) throws UnstableArgumentException {
    NearCache near = nearCacheOf(method);
    return near == null ? method.keyFor(space, self, args) : near.recentKeys(space).keyFor(method, self, args);
  }

  /** What the store holds under {@code key} and {@code generationKey}: a copy where one may be served, else a read of the store. */
  Read read(CachedMethod method, String key, String generationKey) {
    NearCache near = nearCacheOf(method);
    // One clock reading serves the whole lookup (the heartbeat's check, the copy's expiry, when the
    // read was sent): on a hit from a copy, a clock reading costs as much as the rest.
    long now = nanoClock.getAsLong(); // before the read: no write the read missed can be older
    long epoch = near == null ? -1 : invalidations.epoch(now);
    if (epoch < 0) {
      return fromStore(key, generationKey, now);
    }
    NearCache.Copy copy = near.copy(key, generationKey, epoch, now);
    if (copy != null) {
      return new Read(true, copy.entry, copy.generation, true, near.sharesInstances() ? copy : null, copy.readNanos);
    }
    NearCache.Reading reading = near.startReading(key, generationKey, epoch, now);
    Read read = null;
    try {
      read = fromStore(key, generationKey, now);
      return read;
    } finally {
      if (reading != null) { // never left holding the place, whatever the read did
        boolean servable = read != null && read.answered() && method.isCurrent(read.entry(), read.generation());
        near.finishReading(key, generationKey, reading, servable ? read.entry() : null, read == null ? 0 : read.generation(),
            invalidations.epoch(nanoClock.getAsLong()));
      }
    }
  }

  private Read fromStore(String key, String generationKey, long readNanos) {
    byte[][] found = store.get(key, generationKey);
    return found == null ? Read.UNANSWERED : new Read(true, found[0], Generations.parse(found[1]), false, null, readNanos);
  }

  /** The method's near cache as its rule configures it now; {@code null} when it has none. */
  private NearCache nearCacheOf(CachedMethod method) {
    NearCache current = method.near;
    MethodRule rule = method.rule;
    if (current != null && current.isFor(rule)) {
      return current;
    }
    if (current == null && rule.nearCache() == null) {
      return null;
    }
    synchronized (method) {
      current = method.near;
      if (current != null && current.isFor(rule)) {
        return current;
      }
      NearCache next = rule.nearCache() == null ? null : new NearCache(rule);
      if (next != null) {
        methods.add(method); // before the cache is in use: it hears of every change from its first read on
      }
      method.near = next;
      if (next != null) {
        // After the cache is published, for inUse() to see it: tracking, stopped when the last near
        // cache went, starts again. It serves no copy until Redis tracks anew.
        invalidations.start(this);
      }
      return next;
    }
  }

  @Override
  public boolean inUse() {
    for (CachedMethod method : methods) {
      if (method.near != null) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void changed(String key) {
    forEachCache(cache -> cache.changed(key));
  }

  @Override
  public void writing(String key) {
    forEachCache(cache -> cache.writing(key));
  }

  @Override
  public void written(String key) {
    forEachCache(cache -> cache.written(key));
  }

  private void forEachCache(Consumer<NearCache> action) {
    for (CachedMethod method : methods) {
      NearCache cache = method.near;
      if (cache != null) {
        action.accept(cache);
      }
    }
  }
}
