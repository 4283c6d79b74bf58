package io.cacheagent.store;

import io.cacheagent.logging.AgentLog;

/**
 * What tells near caches (copies of entries kept in the JVM) that a key they copied may have
 * changed: this JVM's own writes at once, other JVMs' writes through Redis.
 */
public interface Invalidations {

  /** Hears of keys that may have changed. */
  interface Listener {
    /** Redis said {@code key} changed: its copies are void. */
    void changed(String key);

    /** This JVM is about to write {@code key}: its copies are void, and none is made until {@link #written}. */
    default void writing(String key) {
      changed(key);
    }

    /** This JVM's write of {@code key} ended, confirmed or not: copies made meanwhile are void too. */
    default void written(String key) {
      changed(key);
    }

    /**
     * Whether any near cache still hears: once none does (a reload took every nearCache off), the
     * store stops tracking and checking, and starts again when a near cache asks for it.
     */
    default boolean inUse() {
      return true;
    }
  }

  /** A store that cannot tell of changes: no copy is ever served. */
  Invalidations NONE = new Invalidations() {
    @Override
    public long epoch(long nowNanos) {
      return -1;
    }

    @Override
    public void start(Listener listener) {}
  };

  /** Like {@link #NONE}, and says once, when a near cache is first asked for, why there is none. */
  static Invalidations unsupported(String why) {
    return new Invalidations() {
      @Override
      public long epoch(long nowNanos) {
        return -1;
      }

      @Override
      public void start(Listener listener) {
        AgentLog.warn("near-cache-unsupported", "nearCache is ignored: " + why + "; those methods read redis on every call");
      }
    };
  }

  /**
   * A number that stays the same while every change to a key this JVM read since is told to the
   * listener; {@code -1} while the store cannot promise that (no copy may be served or made now).
   * A copy made under one epoch is void under any other: changes made while it moved were told to
   * nobody.
   *
   * @param nowNanos {@code System.nanoTime()} now: whether Redis answered recently enough
   */
  long epoch(long nowNanos);

  /**
   * Starts telling {@code listener}, unless it does already; from then on the store has Redis track
   * the keys it reads, until the listener is no longer {@link Listener#inUse in use}.
   */
  void start(Listener listener);
}
