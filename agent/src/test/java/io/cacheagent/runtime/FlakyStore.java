package io.cacheagent.runtime;

import io.cacheagent.store.CacheStore;
import io.cacheagent.store.Invalidations;
import io.cacheagent.store.LocalStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The in-process store, which a test can take down (reads unavailable, writes refused), make
 * slow to confirm writes (each confirmation waits until the test releases it), make the answer of
 * the next read wait until the test releases it, or run something just before the next SET. It
 * counts reads.
 */
final class FlakyStore implements CacheStore {

  private final LocalStore store = new LocalStore(LocalStore.DEFAULT_MAX_BYTES);
  private final List<Runnable> unconfirmed = new ArrayList<>();
  boolean down;
  boolean holdConfirmations;
  final AtomicInteger reads = new AtomicInteger();
  /** The keys of each read, in order. */
  final List<String[]> keysRead = new java.util.concurrent.CopyOnWriteArrayList<>();
  /** Writes sent, taken or refused. */
  final AtomicInteger writes = new AtomicInteger();
  private final AtomicBoolean holdNextRead = new AtomicBoolean();
  private final CountDownLatch readReleased = new CountDownLatch(1);

  /** Every lease asked for: its key and the answer. */
  final List<String> leases = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** Every write a caller waited for with {@link #awaitWrites}. */
  final List<CompletableFuture<?>> awaited = new ArrayList<>();

  /** The epoch near caches read (see Invalidations); -1, the default: no copy may be served or made. */
  volatile long epoch = -1;
  private volatile Invalidations.Listener listener;

  /** How often the near caches asked the store to start telling them (see Invalidations#start). */
  volatile int starts;

  /** Whether the near caches say any of them is in use: the heartbeat's question. */
  boolean nearCachesInUse() {
    Invalidations.Listener current = listener;
    return current != null && current.inUse();
  }

  /** Tells the near caches that {@code key} changed, as Redis tells of another JVM's write. */
  void changed(String key) {
    listener.changed(key);
  }

  @Override
  public Invalidations invalidations() {
    return new Invalidations() {
      @Override
      public long epoch(long nowNanos) {
        return epoch;
      }

      @Override
      public void start(Listener started) {
        listener = started;
        starts++;
      }
    };
  }

  /** Runs, once, in the thread of the next {@code set}, just before the store takes it. */
  volatile Runnable beforeNextSet;

  /** The answer of the next read waits, in its thread, until {@link #releaseRead}. */
  void holdNextRead() {
    holdNextRead.set(true);
  }

  void releaseRead() {
    readReleased.countDown();
  }

  /** Confirms every write held so far. */
  void confirmHeldWrites() {
    List<Runnable> held = List.copyOf(unconfirmed);
    unconfirmed.clear();
    held.forEach(Runnable::run);
  }

  @Override
  public synchronized void awaitWrites(List<CompletableFuture<?>> writes) {
    awaited.addAll(writes);
  }

  @Override
  public byte[][] get(String... keys) {
    keysRead.add(keys);
    reads.incrementAndGet();
    byte[][] answer = down ? null : store.get(keys); // as Redis answers: what the keys held when the read was sent
    if (holdNextRead.compareAndSet(true, false)) {
      try {
        readReleased.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return answer;
  }

  @Override
  public CompletionStage<?> set(String key, byte[] value, Duration ttl) {
    return write(key, () -> store.set(key, value, ttl));
  }

  @Override
  public CompletionStage<?> set(String key, byte[] value) {
    return write(key, () -> store.set(key, value));
  }

  /** A SET, told to the near caches as RedisStore tells them: before it is sent, and once it ended. */
  private CompletionStage<?> write(String key, Runnable write) {
    Invalidations.Listener near = listener;
    if (near != null) {
      near.writing(key);
    }
    CompletionStage<?> sent = send(write);
    return near == null ? sent : sent.whenComplete((ok, failure) -> near.written(key));
  }

  private CompletionStage<?> send(Runnable write) {
    writes.incrementAndGet();
    Runnable hook = beforeNextSet;
    if (hook != null) {
      beforeNextSet = null;
      hook.run();
    }
    if (down) {
      return CompletableFuture.failedFuture(new IllegalStateException("store is down"));
    }
    write.run();
    if (!holdConfirmations) {
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Object> confirmation = new CompletableFuture<>();
    unconfirmed.add(() -> confirmation.complete(null));
    return confirmation;
  }

  @Override
  public void setIfAbsent(String key, byte[] value) {
    if (!down) {
      store.setIfAbsent(key, value);
    }
  }

  @Override
  public void setIfAbsent(String key, byte[] value, Duration ttl) {
    if (!down) {
      store.setIfAbsent(key, value, ttl);
    }
  }

  @Override
  public void replace(String key, byte[] expected, byte[] value, Duration ttl) {
    if (!down) {
      store.replace(key, expected, value, ttl);
    }
  }

  @Override
  public Lease tryLease(String key, byte[] token, Duration lease) {
    Lease answer = down ? Lease.UNAVAILABLE : store.tryLease(key, token, lease);
    leases.add(key + " " + answer);
    return answer;
  }

  @Override
  public void release(String key, byte[] token) {
    if (!down) {
      store.release(key, token);
    }
  }

  @Override
  public String describe() {
    return "flaky " + store.describe();
  }

  @Override
  public void close() {
    store.close();
  }
}
