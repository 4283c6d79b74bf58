package io.cacheagent.store;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/*
 * A store in front of another, whose concurrent reads of the same keys share one read.
 *
 * The first read of some keys goes to the store (for a lookup, one MGET of the entry and its
 * generation); reads of the same keys that arrive while it is in flight wait for its answer
 * instead of sending their own. On a hot key under load, that takes most reads off Redis and off
 * the one connection. The answer is bytes: each caller decodes its own copy, so no two callers
 * ever share a mutable object.
 *
 * A write to any key of a read in flight detaches that read, once the write has been sent: later
 * reads send their own, behind the write on the one connection. So a call that starts after a
 * write returned (and its eviction, tombstone or new generation, was sent) never gets an answer read
 * before it, whoever sent the write: an eviction, a drop after a missed eviction, an operator's drop.
 *
 * A caller that joins waits at most the read timeout, as its own read would, then gets "unavailable"
 * and runs uncached; the reader's own wait is bounded by the store. Waiting is a CompletableFuture
 * park, which does not pin a virtual thread. When the read fails, every caller that shared it
 * runs uncached: under a hung Redis, one timeout instead of one per caller.
 */
public final class SharedReads implements CacheStore {

  /** One read in flight; completes with the store's answer ({@code null}: unavailable). */
  private record Read(String[] keys, CompletableFuture<byte[][]> answer) {}

  private final CacheStore store;
  private final long joinWaitNanos;
  /** Reads in flight, by their first key. */
  private final Map<String, Read> reads = new ConcurrentHashMap<>();

  /** {@code readTimeout}: the longest a caller waits for another's read, as for its own. */
  public SharedReads(CacheStore store, Duration readTimeout) {
    this.store = store;
    this.joinWaitNanos = readTimeout.toNanos();
  }

  @Override
  public byte[][] get(String... keys) {
    Read mine = new Read(keys, new CompletableFuture<>());
    Read current = reads.putIfAbsent(keys[0], mine);
    if (current != null) {
      return Arrays.equals(current.keys, keys) ? await(current) : store.get(keys);
    }
    byte[][] answer = null;
    try {
      answer = store.get(keys);
      return answer;
    } finally {
      reads.remove(keys[0], mine);
      mine.answer.complete(answer);
    }
  }

  private byte[][] await(Read read) {
    try {
      return read.answer.get(joinWaitNanos, TimeUnit.NANOSECONDS);
    } catch (TimeoutException | ExecutionException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** Detaches every read in flight that covers {@code key}: called after a write to it was sent. */
  private void written(String key) {
    if (!reads.isEmpty()) { // in flight: at most one read a thread, so this walk is short
      reads.values().removeIf(read -> Arrays.asList(read.keys).contains(key));
    }
  }

  @Override
  public CompletionStage<?> set(String key, byte[] value, Duration ttl) {
    CompletionStage<?> sent = store.set(key, value, ttl);
    written(key);
    return sent;
  }

  @Override
  public CompletionStage<?> set(String key, byte[] value) {
    CompletionStage<?> sent = store.set(key, value);
    written(key);
    return sent;
  }

  @Override
  public void setIfAbsent(String key, byte[] value) {
    store.setIfAbsent(key, value);
    written(key);
  }

  @Override
  public void setIfAbsent(String key, byte[] value, Duration ttl) {
    store.setIfAbsent(key, value, ttl);
    written(key);
  }

  @Override
  public void replace(String key, byte[] expected, byte[] value, Duration ttl) {
    store.replace(key, expected, value, ttl);
    written(key);
  }

  @Override
  public Lease tryLease(String key, byte[] token, Duration lease) {
    return store.tryLease(key, token, lease);
  }

  @Override
  public void release(String key, byte[] token) {
    store.release(key, token);
  }

  @Override
  public void whenFirstConnected(Runnable action) {
    store.whenFirstConnected(action);
  }

  @Override
  public String state() {
    return store.state();
  }

  @Override
  public String describe() {
    return store.describe();
  }

  @Override
  public void close() {
    store.close();
  }
}
