package io.cacheagent.store;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Where entries live: Redis, or the in-process store when no Redis is configured.
 *
 * <p>Reads wait at most the command timeout and answer {@code null} when the store cannot answer
 * in time; the caller then runs the method uncached. Writes are sent without waiting: a miss must
 * not pay for its SET. A write method waits for its evictions with {@link #awaitWrites}, so that
 * once it returned, no JVM reads what it made stale.
 */
public interface CacheStore extends AutoCloseable {

  /** The values under {@code keys}, in order, {@code null} where absent; {@code null} when unavailable. */
  byte[][] get(String... keys);

  /**
   * {@link #get}, without waiting: the future completes with what {@link #get} would return (never
   * exceptionally), at the latest after the command timeout.
   */
  default CompletableFuture<byte[][]> getAsync(String... keys) {
    return CompletableFuture.completedFuture(get(keys));
  }

  /**
   * Stores a value that expires after {@code ttl}. The stage completes when the store confirmed
   * it, and exceptionally when it did not (unavailable, timed out, refused).
   */
  CompletionStage<?> set(String key, byte[] value, Duration ttl);

  /** Stores a value without expiry; the stage tells whether the store confirmed it. */
  CompletionStage<?> set(String key, byte[] value);

  /** Stores a value without expiry unless the key already has one. */
  void setIfAbsent(String key, byte[] value);

  /** Stores a value that expires after {@code ttl}, unless the key already has one. */
  void setIfAbsent(String key, byte[] value, Duration ttl);

  /** Stores a value that expires after {@code ttl} if the key still holds exactly {@code expected}. */
  void replace(String key, byte[] expected, byte[] value, Duration ttl);

  /** What {@link #tryLease} found. */
  enum Lease { TAKEN, HELD_BY_OTHERS, UNAVAILABLE }

  /**
   * Takes a lease: stores {@code token} under {@code key} for {@code lease} unless the key exists.
   * Waits for the answer at most the command timeout.
   */
  Lease tryLease(String key, byte[] token, Duration lease);

  /** Ends a lease, if the key still holds {@code token}; never waits. */
  void release(String key, byte[] token);


  /**
   * Waits until the store confirmed or refused {@code writes}, at most the command timeout,
   * whatever the thread's interrupt flag (which is kept). Does not wait for a second after such a
   * wait timed out: a write method must not pay a timeout for each eviction in an outage.
   * An in-process store confirms at once.
   */
  default void awaitWrites(List<CompletableFuture<?>> writes) {}

  /**
   * Runs {@code action} once the store first answers (at once for a store that always does), and
   * again each time it answers after the connection was lost: what was left undone while it could
   * not be reached is sent then, not at the next read.
   */
  default void whenConnected(Runnable action) {
    action.run();
  }

  /**
   * Sets what drops the entries of keys whose latest writes the store may have lost, after a
   * failover: on a Redis Cluster, the keys of hash slots that have a new master (see HeldSlots);
   * after a reconnect to another server (Sentinel), every key. It gets a test for the keys
   * affected and returns its drops; reads of those keys answer unavailable until they are
   * confirmed. A store that cannot lose writes never calls it.
   */
  default void whenWritesMayBeLost(Function<Predicate<String>, CompletableFuture<?>> dropEntries) {}

  /** What tells near caches of changed keys; {@link Invalidations#NONE} for a store that cannot. */
  default Invalidations invalidations() {
    return Invalidations.NONE;
  }

  /** {@code connecting} (before the first connection), {@code connected}, {@code not connected}, {@code circuit open}, or {@code in-process}. */
  default String state() {
    return "in-process";
  }

  /**
   * How long a command sent now may take before the store runs it, as far as the caller can tell:
   * the command timeout, after which the client gives it up; zero for an in-process store.
   */
  default Duration commandTimeout() {
    return Duration.ZERO;
  }

  /** What this store is, for the log: never contains a password. */
  String describe();

  @Override
  void close();
}
