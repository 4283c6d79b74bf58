package io.cacheagent.config;

import io.cacheagent.key.KeyExpression;
import java.time.Duration;
import java.util.List;

/**
 * One entry of {@code methods}: a method whose results are cached.
 *
 * @param index position in the {@code methods} list, for messages
 * @param signature the cached method, or every overload when it has no parameter list
 * @param ttl how long an entry lives at most
 * @param ttlJitter fraction of {@code ttl} (0 to 0.5) by which each entry's life is shortened at
 *     random, so that entries written together do not expire together
 * @param key expressions over the arguments; {@code null} means all arguments
 * @param cacheNulls whether a {@code null} result is cached
 * @param nullTtl how long a cached {@code null} lives (jittered like {@code ttl})
 * @param stampedeLock whether JVMs take a short lease in Redis before loading a missed key, so
 *     that one JVM loads it while the others wait for its entry
 * @param enabled the operator's switch
 * @param evictOn writes that evict entries of this method
 */
public record MethodRule(
    int index,
    MethodSignature signature,
    Duration ttl,
    double ttlJitter,
    List<KeyExpression> key,
    boolean cacheNulls,
    Duration nullTtl,
    boolean stampedeLock,
    boolean enabled,
    List<EvictRule> evictOn) {

  /** This rule switched on or off. */
  public MethodRule withEnabled(boolean on) {
    return new MethodRule(index, signature, ttl, ttlJitter, key, cacheNulls, nullTtl, stampedeLock, on, evictOn);
  }
}
