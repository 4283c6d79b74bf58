package io.cacheagent.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import lombok.Value;

/**
 * The in-process store, used when no Redis is configured: a Caffeine cache bounded by the bytes of
 * its entries, with a TTL per entry. Keys without a TTL (generations) live in a map of their own
 * so that size eviction can never drop them.
 */
public final class LocalStore implements CacheStore {

  /** Default upper bound of the stored bytes: 64 MiB. */
  public static final long DEFAULT_MAX_BYTES = 64L * 1024 * 1024;

  private static final CompletionStage<?> DONE = CompletableFuture.completedFuture(null);

  private final Cache<String, Entry> entries;
  private final ConcurrentMap<String, byte[]> permanent = new ConcurrentHashMap<>();
  private final long maxBytes;

  @Value
  private static class Entry {

    /** The stored bytes. */
    byte[] value;
    /** How long it lives, in nanoseconds. */
    long ttlNanos;
  }

  public LocalStore(long maxBytes) {
    this.maxBytes = maxBytes;
    this.entries = Caffeine.newBuilder()
        .maximumWeight(maxBytes)
        .weigher((String key, Entry entry) -> key.length() * 2 + entry.value().length)
        .expireAfter(new Expiry<String, Entry>() {
          @Override
          public long expireAfterCreate(String key, Entry entry, long currentTime) {
            return entry.ttlNanos();
          }

          @Override
          public long expireAfterUpdate(String key, Entry entry, long currentTime, long currentDuration) {
            return entry.ttlNanos();
          }

          @Override
          public long expireAfterRead(String key, Entry entry, long currentTime, long currentDuration) {
            return currentDuration;
          }
        })
        .executor(Runnable::run)
        .build();
  }

  @Override
  public byte[][] get(String... keys) {
    byte[][] values = new byte[keys.length][];
    for (int i = 0; i < keys.length; i++) {
      byte[] fixed = permanent.get(keys[i]);
      if (fixed != null) {
        values[i] = fixed;
      } else {
        Entry entry = entries.getIfPresent(keys[i]);
        values[i] = entry == null ? null : entry.value();
      }
    }
    return values;
  }

  @Override
  public CompletionStage<?> set(String key, byte[] value, Duration ttl) {
    entries.put(key, new Entry(value, ttl.toNanos()));
    return DONE;
  }

  @Override
  public CompletionStage<?> set(String key, byte[] value) {
    permanent.put(key, value);
    return DONE;
  }

  @Override
  public void setIfAbsent(String key, byte[] value) {
    permanent.putIfAbsent(key, value);
  }

  @Override
  public void setIfAbsent(String key, byte[] value, Duration ttl) {
    entries.asMap().putIfAbsent(key, new Entry(value, ttl.toNanos()));
  }

  @Override
  public void replace(String key, byte[] expected, byte[] value, Duration ttl) {
    entries.asMap().computeIfPresent(key,
        (k, current) -> Arrays.equals(current.value(), expected) ? new Entry(value, ttl.toNanos()) : current);
  }

  @Override
  public Lease tryLease(String key, byte[] token, Duration lease) {
    return entries.asMap().putIfAbsent(key, new Entry(token, lease.toNanos())) == null ? Lease.TAKEN : Lease.HELD_BY_OTHERS;
  }

  @Override
  public void release(String key, byte[] token) {
    entries.asMap().computeIfPresent(key, (k, current) -> Arrays.equals(current.value(), token) ? null : current);
  }

  @Override
  public String describe() {
    return "in-process store (no redis configured), up to " + (maxBytes >> 20) + " MiB";
  }

  @Override
  public void close() {
    entries.invalidateAll();
    permanent.clear();
  }
}
