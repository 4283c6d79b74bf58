package io.cacheagent.bootstrap;

/**
 * The only agent code that advice inlined into application classes calls.
 *
 * <p>This class is appended to the bootstrap class path, so every class loader of the application
 * can see it. It refers to {@code java.*} types only and forwards to the {@link Dispatcher} that
 * the agent installs once it is ready. Until then, and whenever the agent is disabled, every call
 * returns at once and the application runs uncached.
 */
public final class CacheBridge {

  private static volatile Dispatcher dispatcher;

  /** Set by the first start of the agent in this JVM; a second start must not install again. */
  private static final java.util.concurrent.atomic.AtomicBoolean CLAIMED = new java.util.concurrent.atomic.AtomicBoolean();

  /** Methods switched on, by id; read on every call, replaced whole when a switch flips. */
  private static volatile boolean[] switches = new boolean[0];

  private CacheBridge() {}

  /**
   * Claims this JVM for one agent start; {@code false} when an earlier start (a second {@code
   * -javaagent}, or an attach after one) already did. Advice already inlined carries the ids of the
   * first start, so a second one must not install a table of its own.
   */
  public static boolean claim() {
    return CLAIMED.compareAndSet(false, true);
  }

  /** Installs the implementation; {@code null} makes every instrumented method run uncached. */
  public static void install(Dispatcher implementation) {
    dispatcher = implementation;
  }

  /** Publishes which cached methods are on; index is the method id. */
  public static void switches(boolean[] enabledById) {
    switches = enabledById.clone();
  }

  /** Whether the cached method with this id is on: one volatile read. */
  public static boolean isOn(int methodId) {
    boolean[] current = switches;
    return methodId < current.length && current[methodId];
  }

  /** Looks the call up: {@code null} runs the method uncached, a {@link Hit} is served. */
  public static Object begin(int methodId, Object self, Object[] args) {
    Dispatcher current = dispatcher;
    return current == null ? null : current.begin(methodId, self, args);
  }

  /** Stores the fresh result of a call that {@link #begin} reported as a miss. */
  public static void complete(int methodId, Object call, Object result) {
    Dispatcher current = dispatcher;
    if (current != null) {
      current.complete(methodId, call, result);
    }
  }

  /** Forgets a call that {@link #begin} reported as a miss and whose body threw. */
  public static void abandon(int methodId, Object call) {
    Dispatcher current = dispatcher;
    if (current != null) {
      current.abandon(methodId, call);
    }
  }

  /** Runs the eviction rules of a write method that ask to evict before the write. */
  public static void beforeWrite(int writeId, Object self, Object[] args) {
    Dispatcher current = dispatcher;
    if (current != null) {
      current.beforeWrite(writeId, self, args);
    }
  }

  /** Runs the eviction rules of a write method after it returned normally. */
  public static void afterWrite(int writeId, Object self, Object[] args) {
    Dispatcher current = dispatcher;
    if (current != null) {
      current.afterWrite(writeId, self, args);
    }
  }
}
