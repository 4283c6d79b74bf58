package io.cacheagent.bootstrap;

/**
 * What the agent's isolated implementation provides to {@link CacheBridge}.
 *
 * <p>Implementations must never throw: the advice suppresses throwables anyway, but a throw costs
 * the application a stack walk on its hot path.
 */
public interface Dispatcher {

  /**
   * Returns {@code null} to run uncached, a {@link Hit} to skip the body, or a miss to complete;
   * for a batch method, a miss may be {@link Arguments}: the body runs with those. {@code self} is
   * the instance the method was called on, {@code null} for a static method.
   */
  Object begin(int methodId, Object self, Object[] args);

  /**
   * Called after the body returned normally for a call that {@link #begin} saw as a miss; returns
   * what the call returns: {@code result}, or for a method that returns a future, a future that
   * completes as {@code result} does, once its value was stored; for a batch method, the cached
   * elements merged with {@code result}, or {@link Arguments} to run the body again with.
   */
  Object complete(int methodId, Object call, Object result);

  /** Called after the body threw for a call that {@link #begin} saw as a miss: nothing is stored. */
  void abandon(int methodId, Object call);

  /** Eviction rules that run before the write method's body. */
  void beforeWrite(int writeId, Object self, Object[] args);

  /** Eviction rules that run after the write method returned normally. */
  void afterWrite(int writeId, Object self, Object[] args);
}
