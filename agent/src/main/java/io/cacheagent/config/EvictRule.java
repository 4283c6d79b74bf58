package io.cacheagent.config;

import io.cacheagent.key.KeyExpression;
import java.util.List;
import lombok.Value;

/**
 * One entry of a cached method's {@code evictOn}: calling {@code write} evicts the entry whose key
 * the {@code key} expressions produce from the write's arguments, or every entry when {@code all}.
 */
@Value
public class EvictRule {

  /** The write method. */
  MethodSignature write;
  /** Expressions over the write's arguments; {@code null} means all its arguments; ignored when {@code all}. */
  List<KeyExpression> key;
  /** Drop every entry of the cached method. */
  boolean all;
  /** Evict before the write runs instead of after it returned normally. */
  boolean before;
}
