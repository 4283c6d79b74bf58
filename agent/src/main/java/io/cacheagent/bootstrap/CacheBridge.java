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

  /** Each cached method's switch, by id; read on every call, replaced whole when a switch flips. */
  private static volatile Switch[] switches = new Switch[0];

  /**
   * One cached method's switch, and the count its calls add to while it is off: a plain
   * {@code long[1]}, added to without synchronization, because an atomic add (a LongAdder's CAS)
   * measured 6-8 ns, more than the 5 ns a switched-off method may cost. Concurrent calls may
   * overwrite each other's add: the count is a lower bound.
   */
  private static final class Switch {
    final boolean on;
    final long[] callsWhileOff;

    Switch(boolean on, long[] callsWhileOff) {
      this.on = on;
      this.callsWhileOff = callsWhileOff;
    }
  }

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

  /**
   * Publishes which cached methods are on, and where each counts the calls made while it is off;
   * index is the method id.
   */
  public static void switches(boolean[] enabledById, long[][] callsWhileOffById) {
    Switch[] next = new Switch[enabledById.length];
    for (int id = 0; id < next.length; id++) {
      next[id] = new Switch(enabledById[id], callsWhileOffById[id]);
    }
    switches = next;
  }

  /**
   * Whether the cached method with this id is on: one volatile read. A call that finds it off is
   * counted (see Switch); one made before the agent knew the method (while it starts) is not.
   */
  public static boolean isOn(int methodId) {
    Switch[] current = switches;
    if (methodId >= current.length) {
      return false;
    }
    Switch method = current[methodId];
    if (method.on) {
      return true;
    }
    method.callsWhileOff[0]++;
    return false;
  }

  /** Looks the call up: {@code null} runs the method uncached, a {@link Hit} is served. */
  public static Object begin(int methodId, Object self, Object[] args) {
    Dispatcher current = dispatcher;
    return current == null ? null : current.begin(methodId, self, args);
  }

  /** Stores the fresh result of a call that {@link #begin} reported as a miss; returns what the call returns (see Dispatcher). */
  public static Object complete(int methodId, Object call, Object result) {
    Dispatcher current = dispatcher;
    return current == null ? result : current.complete(methodId, call, result);
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
