package io.cacheagent.store;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Predicate;

/*
 * A store in front of another, whose concurrent reads of the same keys share one read.
 *
 * A caller only ever gets the answer of a read sent after it began: a write that returned before
 * the call began, in this JVM or any other, is in every answer it can get. So reads are shared
 * forward, never backward. The first caller of some keys sends its read (for a lookup, one MGET of
 * the entry and its generation). Callers that arrive while it is in flight do not take its answer:
 * the first of them queues the next read, which is sent the moment the one in flight is answered
 * (by the thread that completes it, so no thread has to wake up first), and the others share it.
 * So at most one read of the same keys is in flight and one waits to be sent (a write that
 * detaches a read, below, lets one more start).
 * On a hot key under load, that takes most reads off Redis and off the one connection; a caller
 * that shares waits for two reads at most. The answer is bytes: each caller decodes its own copy,
 * so no two callers ever share a mutable object.
 *
 * A write to any key of a read in flight detaches that read, once the write has been sent: later
 * callers send their own at once, behind the write on the one connection, rather than wait for an
 * answer they could not use.
 *
 * A caller waits at most the read timeout for each of the two reads, as for its own, then gets
 * "unavailable" and runs uncached; the reader's own wait is bounded by the store. When a read
 * fails, the read queued behind it is not sent and its callers run uncached: under a hung Redis,
 * one timeout instead of one per caller. Waiting is a CompletableFuture park, which does not pin a
 * virtual thread.
 */
public final class SharedReads implements CacheStore {

  /** One read; completes with the store's answer ({@code null}: unavailable). */
  private static final class Read {
    final String[] keys;
    final CompletableFuture<byte[][]> answer = new CompletableFuture<>();
    /** Set just before the read is sent: callers that find it set queue behind it instead of joining. */
    volatile boolean sent;

    Read(String[] keys) {
      this.keys = keys;
    }
  }

  private final CacheStore store;
  private final long joinWaitNanos;
  /** The newest read of some keys, in flight or waiting to be sent, by its first key. */
  private final Map<String, Read> reads = new ConcurrentHashMap<>();

  /** {@code readTimeout}: the longest a caller waits for the read before its own, as for its own. */
  public SharedReads(CacheStore store, Duration readTimeout) {
    this.store = store;
    this.joinWaitNanos = readTimeout.toNanos();
  }

  @Override
  public byte[][] get(String... keys) {
    while (true) {
      Read current = reads.get(keys[0]);
      if (current != null && !Arrays.equals(current.keys, keys)) {
        return store.get(keys); // other keys under the same first key: rare, not shared
      }
      if (current != null && !current.sent) {
        // Sent after this caller began, since it is not sent yet; it waits for the read before it,
        // so this wait covers two reads.
        byte[][] answer = await(current, 2 * joinWaitNanos);
        if (answer == null && !current.answer.isDone()) {
          reads.remove(keys[0], current); // never answered (a bug, an error in its sender): not joined again
        }
        return answer;
      }
      Read mine = new Read(keys);
      if (current == null) {
        if (reads.putIfAbsent(keys[0], mine) == null) {
          return sendNow(mine);
        }
      } else if (reads.replace(keys[0], current, mine)) {
        // The next read is sent as soon as the one in flight is answered, by whichever thread
        // completes it: no thread has to wake up first.
        current.answer.whenComplete((before, failure) -> sendNext(mine, before));
        return await(mine, 2 * joinWaitNanos);
      }
      // another caller got there first: look again
    }
  }

  /** Not shared: sent at once, so that a caller can send several before it awaits any (a batch's slot groups). */
  @Override
  public CompletableFuture<byte[][]> getAsync(String... keys) {
    return store.getAsync(keys);
  }

  /** Sends {@code read} from this thread and waits for it, as an unshared read would. */
  private byte[][] sendNow(Read read) {
    byte[][] answer = null;
    try {
      read.sent = true;
      answer = store.get(read.keys);
      return answer;
    } finally { // whatever happened, its callers are answered and later ones do not find it
      reads.remove(read.keys[0], read);
      read.answer.complete(answer);
    }
  }

  /**
   * Sends {@code read} once the read before it was answered ({@code before}); not at all when that
   * one failed: Redis is not answering, and its callers run uncached.
   */
  private void sendNext(Read read, byte[][] before) {
    try {
      if (before == null) {
        reads.remove(read.keys[0], read);
        read.answer.complete(null);
        return;
      }
      read.sent = true;
      store.getAsync(read.keys).whenComplete((answer, failure) -> {
        reads.remove(read.keys[0], read);
        read.answer.complete(failure == null ? answer : null);
      });
    } catch (RuntimeException | LinkageError e) {
      reads.remove(read.keys[0], read);
      read.answer.complete(null);
    }
  }

  /** The answer of {@code read}, waited for at most {@code waitNanos} whatever the interrupt flag, which is kept. */
  private static byte[][] await(Read read, long waitNanos) {
    try {
      return Uninterruptibly.get(read.answer, System.nanoTime() + waitNanos);
    } catch (TimeoutException | ExecutionException e) {
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
  public void awaitWrites(List<CompletableFuture<?>> writes) {
    store.awaitWrites(writes);
  }

  @Override
  public void whenConnected(Runnable action) {
    store.whenConnected(action);
  }

  @Override
  public void whenWritesMayBeLost(Function<Predicate<String>, CompletableFuture<?>> dropEntries) {
    store.whenWritesMayBeLost(dropEntries);
  }

  @Override
  public Invalidations invalidations() {
    return store.invalidations();
  }

  @Override
  public String state() {
    return store.state();
  }

  @Override
  public Duration commandTimeout() {
    return store.commandTimeout();
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
