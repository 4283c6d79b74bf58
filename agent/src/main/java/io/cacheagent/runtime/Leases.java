package io.cacheagent.runtime;

import io.cacheagent.store.CacheStore;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/*
 * Stampede protection across JVMs, for methods with stampedeLock: true.
 *
 * When a hot key expires, every JVM of a fleet misses it at once, and each would run the method.
 * With a lease, the JVM whose miss comes first takes a short lease in Redis (SET key#lease token NX
 * PX) and loads; the others poll the entry's key until the loader's entry appears, and serve it.
 * They stop waiting and run the method themselves when the lease is gone without an entry (the
 * loader threw, or its entry was refused), when the lease time has passed (the loader may be slow
 * or gone; the lease expires by itself), when an eviction overtakes the load, or when Redis stops
 * answering. The loader releases the lease after storing.
 */
final class Leases {

  /** How long a lease lasts, and so how long other JVMs wait for its loader at most: 2 seconds. */
  static final Duration LEASE = Duration.ofSeconds(2);

  /** Pause between two looks at the entry while another JVM loads it: 20 ms. */
  static final long POLL_MILLIS = 20;

  private Leases() {}

  static String leaseKey(String key) {
    return key + "#lease";
  }

  /** A token no other lease holder has. */
  static byte[] newToken() {
    byte[] token = new byte[16];
    ThreadLocalRandom.current().nextBytes(token);
    return token;
  }

  /**
   * Waits while another JVM holds the lease of {@code key}: returns the entry it stored, or
   * {@code null} when the caller should run the method itself.
   *
   * @param generationKey the method's generation key, as the caller read it
   * @param generation the method's generation when the caller missed; {@link Generations#NONE} when
   *     it had none yet (the first miss of a fleet), in which case the one the loader stored is taken
   * @param seen the bytes the caller saw under the key ({@code null}: none)
   * @param nanoClock {@code System.nanoTime}, or a test's clock
   */
  static byte[] awaitEntry(CacheStore store, CachedMethod method, String key, String generationKey, long generation,
      byte[] seen, LongSupplier nanoClock) {
    long expected = generation;
    long deadline = nanoClock.getAsLong() + LEASE.toNanos();
    while (nanoClock.getAsLong() - deadline < 0) {
      try {
        TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
      byte[][] found = store.get(key, generationKey, leaseKey(key));
      if (found == null) {
        return null; // Redis stopped answering
      }
      long current = Generations.parse(found[1]);
      if (expected == Generations.NONE) {
        expected = current; // the generation the loader made up and stored
      } else if (current != expected) {
        return null; // every entry was dropped meanwhile
      }
      byte[] entry = found[0];
      if (expected != Generations.NONE && method.isCurrent(entry, expected)) {
        return entry;
      }
      if (entry != null && !Arrays.equals(entry, seen)) {
        return null; // a tombstone: a write overtook the other JVM's load, whose entry will be refused
      }
      if (found[2] == null) {
        return null; // the holder released the lease without an entry we can use (it threw, or its store was refused)
      }
    }
    return null;
  }
}
