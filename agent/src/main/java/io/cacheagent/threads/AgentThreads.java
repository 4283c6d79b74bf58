package io.cacheagent.threads;

import io.cacheagent.jdk.JavaRuntime;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The agent's own threads: daemon (they never keep the JVM alive), named {@code cache-agent-*}, no
 * context class loader, and none of the inheritable thread locals of the thread that made them (an
 * application's request or security context must not outlive it in an agent thread).
 */
public final class AgentThreads {

  /** {@code Thread(ThreadGroup, Runnable, String, long, boolean inheritThreadLocals)}, Java 9 and later. */
  private static final MethodHandle WITHOUT_INHERITED_LOCALS = threadConstructor();

  private AgentThreads() {}

  /** A new, unstarted thread; {@code name} without the {@code cache-agent-} prefix. */
  public static Thread daemon(String name, Runnable task) {
    Thread thread = withoutInheritedLocals(task, "cache-agent-" + name);
    thread.setDaemon(true);
    thread.setContextClassLoader(null);
    return thread;
  }

  /**
   * Runs each task on the agent's {@code delays} thread once {@code delay} has passed, as {@code
   * CompletableFuture.delayedExecutor} (Java 9) would, but never in the application's common pool.
   * For short tasks: a retry, a timeout.
   */
  public static Executor afterDelay(long delay, TimeUnit unit) {
    return task -> schedule(task, delay, unit);
  }

  /** Runs {@code task} on the agent's {@code delays} thread once {@code delay} has passed; cancel it once moot. */
  public static ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
    return Delays.TIMER.schedule(task, delay, unit);
  }

  private static Thread withoutInheritedLocals(Runnable task, String name) {
    if (WITHOUT_INHERITED_LOCALS != null) {
      try {
        return (Thread) WITHOUT_INHERITED_LOCALS.invokeExact((ThreadGroup) null, task, name, 0L, false);
      } catch (Throwable t) {
        throw new IllegalStateException("new Thread", t);
      }
    }
    // Java 8: the thread copied its maker's inheritable thread locals; it has not started, so they are dropped here
    Thread thread = new Thread(null, task, name, 0);
    try {
      Field inherited = Thread.class.getDeclaredField("inheritableThreadLocals");
      inherited.setAccessible(true);
      inherited.set(thread, null);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException("cannot clear the inherited thread locals of a new agent thread on Java "
          + JavaRuntime.RELEASE, e);
    }
    return thread;
  }

  private static MethodHandle threadConstructor() {
    try {
      return MethodHandles.publicLookup().findConstructor(Thread.class,
          MethodType.methodType(void.class, ThreadGroup.class, Runnable.class, String.class, long.class, boolean.class));
    } catch (NoSuchMethodException | IllegalAccessException java8) {
      return null;
    }
  }

  /** Made on first use: most JVMs never need it. */
  private static final class Delays {
    static final ScheduledThreadPoolExecutor TIMER = timer();

    private static ScheduledThreadPoolExecutor timer() {
      ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, task -> daemon("delays", task));
      timer.setRemoveOnCancelPolicy(true);
      return timer;
    }
  }
}
