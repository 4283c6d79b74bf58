package io.cacheagent.runtime;

import io.cacheagent.logging.AgentLog;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.function.IntConsumer;

/**
 * Spring's transaction synchronization, as the application's class loader sees it: whether the
 * calling thread runs inside a Spring-managed transaction, and a way to act when it completes.
 *
 * <p>A write inside a transaction returns before its changes commit: an eviction at its return
 * leaves a window in which a reader loads the old, still committed value and caches it, to be
 * served after the commit for the whole TTL. And a read inside a transaction may load what the
 * transaction has not committed, and may never commit. So evictions run again once the
 * transaction completed, and a miss's result is stored only once it committed (Spring's
 * {@code TransactionAwareCacheDecorator} defers puts and evictions likewise).
 *
 * <p>Found by name through the instrumented method's loader; an application without Spring (or a
 * loader that does not see it) gets {@link #NONE}, and nothing changes for it.
 */
final class SpringTransactions {

  /** How Spring reports a completed transaction to {@code afterCompletion}. */
  static final int COMMITTED = 0;

  /** For class loaders that do not see Spring's transaction support. */
  static final SpringTransactions NONE = new SpringTransactions(null, null, null, null);

  private static final String MANAGER = "org.springframework.transaction.support.TransactionSynchronizationManager";
  private static final String SYNCHRONIZATION = "org.springframework.transaction.support.TransactionSynchronization";

  private final ClassLoader loader;
  private final Class<?> synchronizationType;
  private final MethodHandle isSynchronizationActive;
  private final MethodHandle registerSynchronization;

  private SpringTransactions(ClassLoader loader, Class<?> synchronizationType, MethodHandle isSynchronizationActive,
      MethodHandle registerSynchronization) {
    this.loader = loader;
    this.synchronizationType = synchronizationType;
    this.isSynchronizationActive = isSynchronizationActive;
    this.registerSynchronization = registerSynchronization;
  }

  /** Spring's transaction support as {@code loader} sees it, or {@link #NONE}. Costs a class lookup: keep the result. */
  static SpringTransactions seenBy(ClassLoader loader) {
    if (loader == null) {
      return NONE;
    }
    try {
      Class<?> manager = Class.forName(MANAGER, false, loader);
      Class<?> synchronization = Class.forName(SYNCHRONIZATION, false, loader);
      MethodHandles.Lookup lookup = MethodHandles.publicLookup();
      return new SpringTransactions(loader, synchronization,
          lookup.findStatic(manager, "isSynchronizationActive", MethodType.methodType(boolean.class)),
          lookup.findStatic(manager, "registerSynchronization", MethodType.methodType(void.class, synchronization)));
    } catch (ClassNotFoundException | LinkageError absent) {
      return NONE;
    } catch (ReflectiveOperationException | RuntimeException unusable) {
      AgentLog.warn("spring-tx", "Spring's transaction support is present but cannot be used (" + unusable
          + "); writes inside transactions evict only when they return");
      return NONE;
    }
  }

  /** Whether the calling thread runs inside a Spring transaction (one whose completion can be awaited). */
  boolean isActive() {
    if (isSynchronizationActive == null) {
      return false;
    }
    try {
      return (boolean) isSynchronizationActive.invokeExact();
    } catch (Throwable t) {
      return false;
    }
  }

  /**
   * Runs {@code onCompletion} with the outcome ({@link #COMMITTED}, or another of Spring's
   * statuses) when the calling thread's transaction completes; returns {@code false}, running
   * nothing, when that cannot be arranged (no transaction).
   */
  boolean whenCompleted(IntConsumer onCompletion) {
    if (!isActive()) {
      return false;
    }
    try {
      Object synchronization = Proxy.newProxyInstance(loader, new Class<?>[] {synchronizationType}, new Completion(onCompletion));
      registerSynchronization.invoke(synchronization);
      return true;
    } catch (Throwable t) {
      AgentLog.warn("spring-tx-register", "cannot take part in a Spring transaction (" + t + "); writes inside transactions"
          + " evict only when they return");
      return false;
    }
  }

  /** The synchronization registered with Spring: acts on {@code afterCompletion}, and is inert otherwise. */
  private static final class Completion implements InvocationHandler {
    private final IntConsumer onCompletion;

    Completion(IntConsumer onCompletion) {
      this.onCompletion = onCompletion;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      switch (method.getName()) {
        case "afterCompletion" -> {
          try {
            onCompletion.accept((Integer) args[0]);
          } catch (RuntimeException | LinkageError e) {
            AgentLog.warn("spring-tx-completion", "internal error after a transaction completed (" + e + ")");
          }
          return null;
        }
        case "getOrder" -> {
          return Integer.MAX_VALUE; // Ordered.LOWEST_PRECEDENCE: after the application's own synchronizations
        }
        case "equals" -> {
          return proxy == args[0];
        }
        case "hashCode" -> {
          return System.identityHashCode(proxy);
        }
        case "toString" -> {
          return "cache-agent after-completion";
        }
        default -> {
          return method.getReturnType() == void.class ? null : InvocationHandler.invokeDefault(proxy, method, args);
        }
      }
    }
  }
}
