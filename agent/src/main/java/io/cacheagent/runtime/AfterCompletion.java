package io.cacheagent.runtime;

import io.cacheagent.jdk.JavaRuntime;
import io.cacheagent.logging.AgentLog;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * The synchronization the agent registers with the application's transaction manager (Spring's
 * {@code TransactionSynchronization}, JTA's {@code Synchronization}), made as a JDK proxy of the
 * application's own interface, so that the agent needs neither on its class path: it acts on
 * {@code afterCompletion} and is inert otherwise.
 */
final class AfterCompletion implements InvocationHandler {

  /** The owner whose state this is, so that a transaction's registrations can be found again. */
  final Object owner;
  final Transactions.Completion completion;
  /** The value {@code afterCompletion} gets for a commit: 0 in Spring, {@code Status.STATUS_COMMITTED} (3) in JTA. */
  private final int committed;
  /** What {@code getOrder} answers (Spring's {@code Ordered}), or {@code null}. */
  private final Integer order;

  private AfterCompletion(Object owner, Transactions.Completion completion, int committed, Integer order) {
    this.owner = owner;
    this.completion = completion;
    this.committed = committed;
    this.order = order;
  }

  /** A proxy of {@code synchronizationType} that reports completions to {@code completion}. */
  static Object of(Class<?> synchronizationType, Object owner, Transactions.Completion completion, int committed, Integer order) {
    return Proxy.newProxyInstance(synchronizationType.getClassLoader(), new Class<?>[] {synchronizationType},
        new AfterCompletion(owner, completion, committed, order));
  }

  /** The handler behind a synchronization this class made for {@code owner}, or {@code null}. */
  static AfterCompletion madeFor(Object synchronization, Object owner) {
    if (!Proxy.isProxyClass(synchronization.getClass())) {
      return null;
    }
    InvocationHandler handler = Proxy.getInvocationHandler(synchronization);
    return handler instanceof AfterCompletion && ((AfterCompletion) handler).owner == owner ? (AfterCompletion) handler : null;
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    switch (method.getName()) {
      case "afterCompletion":
        try {
          completion.completed((Integer) args[0] == committed ? Transactions.COMMITTED : Transactions.NOT_COMMITTED);
        } catch (RuntimeException | LinkageError e) {
          AgentLog.warn("tx-completion", "internal error after a transaction completed (" + e + ")");
        }
        return null;
      case "getOrder":
        return order;
      case "equals":
        return proxy == args[0];
      case "hashCode":
        return System.identityHashCode(proxy);
      case "toString":
        return "cache-agent after-completion";
      default:
        return method.getReturnType() == void.class ? null : JavaRuntime.invokeDefault(proxy, method, args);
    }
  }
}
