package io.cacheagent.config;

import io.cacheagent.key.KeyExpression;
import java.util.List;

/**
 * One entry of a cached method's {@code evictOn}: calling {@code write} evicts the entry whose key
 * the {@code key} expressions produce from the write's arguments, or every entry when {@code all}.
 *
 * @param write the write method
 * @param key expressions over the write's arguments; {@code null} means all its arguments; ignored
 *     when {@code all}
 * @param all drop every entry of the cached method
 * @param before evict before the write runs instead of after it returned normally
 */
public record EvictRule(MethodSignature write, List<KeyExpression> key, boolean all, boolean before) {}
