package io.cacheagent.config;

import io.cacheagent.key.KeyExpression;
import java.time.Duration;
import java.util.List;

/**
 * One entry of {@code methods}: a method whose results are cached.
 *
 * @param index position in the {@code methods} list, for messages
 * @param signature the cached method, or every overload when it has no parameter list
 * @param ttl how long an entry lives
 * @param key expressions over the arguments; {@code null} means all arguments
 * @param cacheNulls whether a {@code null} result is cached
 * @param enabled the operator's switch
 * @param evictOn writes that evict entries of this method
 */
public record MethodRule(
    int index,
    MethodSignature signature,
    Duration ttl,
    List<KeyExpression> key,
    boolean cacheNulls,
    boolean enabled,
    List<EvictRule> evictOn) {}
