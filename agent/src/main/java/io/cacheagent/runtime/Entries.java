package io.cacheagent.runtime;

import io.cacheagent.bootstrap.Hit;
import io.cacheagent.codec.UndecodableException;
import io.cacheagent.codec.ValueCodec;
import io.cacheagent.logging.AgentLog;
import java.time.Duration;

/**
 * A cached method's entries and its results, each turned into the other: what may be served to
 * this caller, and what went wrong, counted in the method's stats and reported once.
 */
final class Entries {

  private Entries() {}

  /** What {@link #decode} returns for an entry that is right but must not reach this caller (see there). */
  static final Hit NOT_SERVABLE = new Hit(null);

  /**
   * Whether the key holds bytes that are not an entry of this agent's format (another program's,
   * an older format): counted and reported once; the call misses, and its store replaces them.
   */
  static boolean isForeign(CachedMethod method, byte[] entry) {
    if (entry == null || ValueCodec.isOurs(entry)) {
      return false;
    }
    method.stats.undecodable.increment();
    AgentLog.warn("foreign:" + method.name, method.name + ": an entry holds bytes that are not a cache-agent entry of format "
        + ValueCodec.FORMATS + "; treated as a miss and replaced");
    return true;
  }

  /**
   * The hit an entry gives; {@code null} when it is not usable (reported), {@link #NOT_SERVABLE}
   * when it is but this caller would have got the method's result managed by an open persistence
   * context (counted as managed).
   */
  static Hit decode(CachedMethod method, String key, byte[] entry, Object self) {
    return decode(method, key, entry, self, null);
  }

  /**
   * {@link #decode}, and where the value holds no JPA entity and nothing left unloaded (so that it
   * may go to any caller), kept in {@code sharing} for the copy's later hits ({@code null}: not kept).
   */
  static Hit decode(CachedMethod method, String key, byte[] entry, Object self, NearCache.Copy sharing) {
    CachedMethod.Values values = method.values();
    try {
      ValueCodec.Decoded decoded = values.codec().decodeEntry(entry, method.signing.verifiedLength(key, entry));
      Object value = decoded.value();
      if (decoded.holdsEntities() && method.inCallersTransaction(self)
          || decoded.notLoadedParts() && method.transactions().persistenceContextOutlivesCall()) {
        // Inside the caller's transaction, entities the method returns would be managed (even
        // where it declares Object or a DTO that holds them); under open-in-view their lazy
        // parts would load.
        method.stats.managed.increment();
        return NOT_SERVABLE;
      }
      if (method.accepts(value)) {
        Hit hit = new Hit(value);
        if (sharing != null && !decoded.holdsEntities() && !decoded.notLoadedParts()) {
          sharing.share(hit);
        }
        return hit;
      }
      method.stats.undecodable.increment();
      AgentLog.warn("wrong-type:" + method.name, method.name + ": an entry holds a "
          + (value == null ? "null" : value.getClass().getName()) + ", not a return value of the method; treated as a miss and replaced");
    } catch (UndecodableException e) {
      if (e.isExpired()) {
        return null; // a miss: Redis kept the entry past its time (a replay, or clocks apart)
      }
      if (e.isUnsigned()) {
        method.stats.refused.increment();
        AgentLog.warn("unsigned:" + method.name, method.name + ": an entry is not signed with this agent's signing key ("
            + method.signing + "): it was written by someone without the key, or by a JVM that signs with another key"
            + " or none. It was not read; treated as a miss and replaced. Every JVM that shares the Redis must have the same"
            + " key (or, while rotating, the other's as its previous one)");
      } else if (e.refusedClass() != null) {
        method.stats.refused.increment();
        AgentLog.warn("refused:" + method.name, method.name + ": an entry names class " + e.refusedClass()
            + ", which entries of this method may not hold (allowed: " + values.allowList() + "); it was not loaded, the entry"
            + " is treated as a miss and replaced. If the value is legitimate, add the class (or its package, if it is yours) to serialization.allow");
      } else {
        method.stats.undecodable.increment();
        AgentLog.warn("undecodable:" + method.name, method.name + ": an entry cannot be decoded ("
            + e.getMessage() + "); treated as a miss and replaced");
      }
    }
    return null;
  }

  /**
   * The hit an entry loaded by another call of this key gives, as {@link #decode}; {@code null} also
   * when another class loader's version of the method's class loaded it, whose shape differs.
   */
  static Hit decodeLoaded(CachedMethod method, String key, byte[] entry, Object self) {
    return ValueCodec.shapeOf(entry) != method.shape() ? null : decode(method, key, entry, self);
  }

  /**
   * The entry for a result under {@code key} for {@code ttl}, signed if signing is on, with when a
   * hit should reload it if the method has refreshAhead ({@code nowMillis}: the wall clock now);
   * {@code null} when it cannot be serialized (reported).
   */
  static byte[] encode(CachedMethod method, String key, long generation, Object result, Duration ttl, long nowMillis) {
    double refreshAhead = method.rule.refreshAhead();
    long refreshAt = refreshAhead == 0 ? ValueCodec.NEVER : nowMillis + (long) (ttl.toMillis() * refreshAhead);
    try {
      return method.signing.sign(key, method.values().codec().encode(generation, method.shape(), result, refreshAt), ttl);
    } catch (RuntimeException | LinkageError | StackOverflowError e) {
      method.stats.unencodable.increment();
      AgentLog.warn("unencodable:" + method.name, method.name + ": the result (" + (result == null ? "null" : result.getClass().getName())
          + ") cannot be serialized (" + e.getMessage() + "); it is not cached");
      return null;
    }
  }
}
