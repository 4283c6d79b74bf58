package io.cacheagent.runtime;

import io.cacheagent.store.CacheStore;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/*
 * Concurrent lookups of one key share one read of the store.
 *
 * The first lookup of a key sends the read (one MGET of the entry and the generation); lookups of
 * the same key that arrive while it is in flight wait for its answer instead of sending their own.
 * On a hot key under load that takes most reads off Redis and off the one connection. The answer
 * is bytes: each caller decodes its own copy, so no two callers share a mutable object.
 *
 * A write's eviction detaches the reads in flight that it makes stale (see Evictions), as it does
 * loads: a call that starts after the write returned must never get an answer read before it.
 * Waiting is a CompletableFuture park, which does not pin a virtual thread, and the thread that
 * reads waits for nothing but the store, whose reads are bounded by the command timeout.
 */
final class InFlightReads {

  /** One read in flight; completes with the store's answer ({@code null}: unavailable). */
  private record Read(String generationKey, CompletableFuture<byte[][]> answer) {}

  private final Map<String, Read> reads = new ConcurrentHashMap<>();

  /** The entry under {@code key} and the generation, as {@link CacheStore#get} answers them, read once for all concurrent callers. */
  byte[][] read(CacheStore store, String key, String generationKey) {
    Read mine = new Read(generationKey, new CompletableFuture<>());
    Read current = reads.putIfAbsent(key, mine);
    if (current != null) {
      // A reload that changed the generation key since: that answer is of the other key.
      return current.generationKey.equals(generationKey) ? await(current) : store.get(key, generationKey);
    }
    byte[][] answer = null;
    try {
      answer = store.get(key, generationKey);
      return answer;
    } finally {
      reads.remove(key, mine);
      mine.answer.complete(answer);
    }
  }

  private static byte[][] await(Read read) {
    try {
      return read.answer.get(InFlightLoads.MAX_WAIT_NANOS, TimeUnit.NANOSECONDS);
    } catch (TimeoutException | ExecutionException e) {
      return null; // run uncached, as when the store does not answer
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** Detaches the read of {@code key} in flight, if any: later lookups send their own. */
  void evicted(String key) {
    reads.remove(key);
  }

  /** Detaches every read in flight of the method with this generation key (an {@code all: true} eviction). */
  void evictedAll(String generationKey) {
    reads.values().removeIf(read -> read.generationKey.equals(generationKey));
  }
}
