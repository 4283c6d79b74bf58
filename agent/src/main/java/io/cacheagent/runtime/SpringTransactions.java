package io.cacheagent.runtime;

import io.cacheagent.jdk.Immutable;
import io.cacheagent.logging.AgentLog;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

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
final class SpringTransactions implements Transactions {

  /** How Spring reports a committed transaction to {@code afterCompletion}. */
  private static final int SPRING_COMMITTED = 0;

  /** For class loaders that do not see Spring's transaction support. */
  static final SpringTransactions NONE = new SpringTransactions();

  /** The holders Spring binds to a thread while an EntityManager or Hibernate Session is open on it. */
  private static final java.util.Set<String> PERSISTENCE_CONTEXT_HOLDERS = Immutable.setOf(
      "org.springframework.orm.jpa.EntityManagerHolder", "org.springframework.orm.hibernate5.SessionHolder");

  private static final String MANAGER = "org.springframework.transaction.support.TransactionSynchronizationManager";
  private static final String SYNCHRONIZATION = "org.springframework.transaction.support.TransactionSynchronization";
  private static final String ASPECT_SUPPORT = "org.springframework.transaction.interceptor.TransactionAspectSupport";
  private static final String STATUS = "org.springframework.transaction.TransactionStatus";

  private final Class<?> synchronizationType;
  private final MethodHandle isSynchronizationActive;
  private final MethodHandle registerSynchronization;
  private final MethodHandle getSynchronizations;
  private final MethodHandle isActualTransactionActive;
  private final MethodHandle getCurrentTransactionName;
  private final MethodHandle getResourceMap;
  private final MethodHandle isCurrentTransactionReadOnly;
  /** Spring web's {@code RequestContextHolder.getRequestAttributes()}, or {@code null} without spring-web. */
  private final MethodHandle getRequestAttributes;
  /** {@code TransactionAspectSupport.currentTransactionStatus()}: the innermost {@code @Transactional} call's. */
  private final MethodHandle currentTransactionStatus;
  private final MethodHandle isNewTransaction;

  /** {@link #NONE}: every question answers no. */
  private SpringTransactions() {
    synchronizationType = null;
    isSynchronizationActive = null;
    registerSynchronization = null;
    getSynchronizations = null;
    isActualTransactionActive = null;
    getCurrentTransactionName = null;
    getResourceMap = null;
    isCurrentTransactionReadOnly = null;
    getRequestAttributes = null;
    currentTransactionStatus = null;
    isNewTransaction = null;
  }

  /** Spring's {@code TransactionSynchronizationManager} as {@code loader} sees it. */
  private SpringTransactions(ClassLoader loader) throws ReflectiveOperationException {
    Class<?> manager = Class.forName(MANAGER, false, loader);
    MethodHandles.Lookup lookup = MethodHandles.publicLookup();
    this.synchronizationType = Class.forName(SYNCHRONIZATION, false, loader);
    this.isSynchronizationActive = lookup.findStatic(manager, "isSynchronizationActive", MethodType.methodType(boolean.class));
    this.registerSynchronization =
        lookup.findStatic(manager, "registerSynchronization", MethodType.methodType(void.class, synchronizationType));
    this.getSynchronizations = lookup.findStatic(manager, "getSynchronizations", MethodType.methodType(java.util.List.class));
    this.isActualTransactionActive = lookup.findStatic(manager, "isActualTransactionActive", MethodType.methodType(boolean.class));
    this.getCurrentTransactionName = lookup.findStatic(manager, "getCurrentTransactionName", MethodType.methodType(String.class));
    this.getResourceMap = lookup.findStatic(manager, "getResourceMap", MethodType.methodType(java.util.Map.class));
    this.isCurrentTransactionReadOnly =
        lookup.findStatic(manager, "isCurrentTransactionReadOnly", MethodType.methodType(boolean.class));
    this.getRequestAttributes = requestAttributes(loader, lookup);
    Class<?> status = Class.forName(STATUS, false, loader);
    this.currentTransactionStatus = lookup.findStatic(Class.forName(ASPECT_SUPPORT, false, loader), "currentTransactionStatus",
        MethodType.methodType(status)).asType(MethodType.methodType(Object.class));
    this.isNewTransaction = lookup.findVirtual(status, "isNewTransaction", MethodType.methodType(boolean.class))
        .asType(MethodType.methodType(boolean.class, Object.class));
  }

  /** Spring's transaction support as {@code loader} sees it, or {@link #NONE}. Costs a class lookup: keep the result. */
  static SpringTransactions seenBy(ClassLoader loader) {
    if (loader == null) {
      return NONE;
    }
    try {
      return new SpringTransactions(loader);
    } catch (ClassNotFoundException | LinkageError absent) {
      return NONE;
    } catch (ReflectiveOperationException | RuntimeException unusable) {
      AgentLog.warn("spring-tx", "Spring's transaction support is present but cannot be used (" + unusable
          + "); writes inside transactions evict only when they return");
      return NONE;
    }
  }

  private static MethodHandle requestAttributes(ClassLoader loader, MethodHandles.Lookup lookup) {
    try {
      Class<?> holder = Class.forName("org.springframework.web.context.request.RequestContextHolder", false, loader);
      Class<?> attributes = Class.forName("org.springframework.web.context.request.RequestAttributes", false, loader);
      return lookup.findStatic(holder, "getRequestAttributes", MethodType.methodType(attributes))
          .asType(MethodType.methodType(Object.class));
    } catch (ReflectiveOperationException | LinkageError | RuntimeException noSpringWeb) {
      return null;
    }
  }

  /** Whether the calling thread runs inside a Spring transaction (one whose completion can be awaited). */
  boolean isActive() {
    return answer(isSynchronizationActive);
  }

  /** Whether a Spring transaction (not only a synchronization scope) runs on the calling thread. */
  boolean hasActualTransaction() {
    return answer(isActualTransactionActive);
  }

  /** What a no-argument {@code boolean} question of Spring's answers; no when it cannot be asked. */
  private static boolean answer(MethodHandle question) {
    if (question == null) {
      return false;
    }
    try {
      return (boolean) question.invokeExact();
    } catch (Throwable t) {
      return false;
    }
  }

  /**
   * Whether what the calling thread reads may include writes not yet committed: it runs inside a
   * transaction that is not read-only. A read-only transaction writes nothing, so what it reads is
   * committed and may be stored and shared at once.
   */
  @Override
  public boolean inTransaction() {
    return hasActualTransaction();
  }

  @Override
  public boolean mayReadUncommitted() {
    if (isActualTransactionActive == null) {
      return false;
    }
    try {
      return (boolean) isActualTransactionActive.invokeExact() && !(boolean) isCurrentTransactionReadOnly.invokeExact();
    } catch (Throwable t) {
      return true; // unknown: as if it might
    }
  }

  /**
   * Whether the calling thread runs inside a transaction that a caller began, rather than the one
   * Spring began for the method itself: an entity returned there stays managed, its lazy parts
   * load and its changes are flushed at commit.
   *
   * <p>The method's own is named after it and was begun by the innermost {@code @Transactional}
   * call. Spring names a transaction that {@code @Transactional} begins after the bean's class and
   * the method, {@code com.acme.Service.find}: the class of {@code self} (the target, not the proxy,
   * since the advice runs in the target's method), or {@code declaringClass} for a static method.
   * Overloads share that name, so an overload's transaction that the method joined (through the
   * proxy, by self-injection) would pass for its own: the innermost call's status says whether it
   * began a new transaction or joined one.
   */
  @Override
  public boolean inCallersTransaction(Object self, String declaringClass, String methodName) {
    if (isActualTransactionActive == null) {
      return false;
    }
    try {
      if (!(boolean) isActualTransactionActive.invokeExact()) {
        return false;
      }
      String own = (self != null ? self.getClass().getName() : declaringClass) + "." + methodName;
      return !own.equals((String) getCurrentTransactionName.invokeExact()) || !innermostCallBeganIt();
    } catch (Throwable t) {
      return true; // unknown: as if it were, so that nothing is served that the caller would have got managed
    }
  }

  /**
   * Whether the innermost {@code @Transactional} call on the thread began its transaction rather
   * than joined one; {@code true} when no such call is under way (a transaction begun in code,
   * by name).
   */
  private boolean innermostCallBeganIt() throws Throwable {
    Object status;
    try {
      status = (Object) currentTransactionStatus.invokeExact();
    } catch (RuntimeException noTransactionalCall) {
      if (noTransactionalCall.getClass().getName().equals("org.springframework.transaction.NoTransactionException")) {
        return true;
      }
      throw noTransactionalCall;
    }
    return (boolean) isNewTransaction.invokeExact(status);
  }

  /**
   * Whether an EntityManager or Hibernate Session may stay open on the calling thread after the
   * method returns, so that lazy parts of an entity it returns load when touched: one is bound, and
   * either no transaction runs (it is open-in-view's, or opened by hand), or the thread serves a web
   * request, where open-in-view (Spring Boot's default) may hold it around the method's own
   * transaction. A method's own transaction outside web requests closes its EntityManager at commit.
   */
  @Override
  public boolean persistenceContextOutlivesCall() {
    if (getResourceMap == null || !persistenceContextBound()) {
      return false;
    }
    try {
      return !(boolean) isActualTransactionActive.invokeExact()
          || getRequestAttributes != null && (Object) getRequestAttributes.invokeExact() != null;
    } catch (Throwable t) {
      return true; // unknown: as if it did
    }
  }

  private boolean persistenceContextBound() {
    try {
      java.util.Map<?, ?> resources = (java.util.Map<?, ?>) getResourceMap.invokeExact();
      for (Object holder : resources.values()) {
        if (holder != null && PERSISTENCE_CONTEXT_HOLDERS.contains(holder.getClass().getName())) {
          return true;
        }
      }
      return false;
    } catch (Throwable t) {
      return true; // unknown: as if it were
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T extends Completion> T forTransaction(Object owner, java.util.function.Supplier<T> create) {
    if (!isActive()) {
      return null;
    }
    try {
      for (Object registered : (java.util.List<?>) getSynchronizations.invokeExact()) {
        AfterCompletion ours = AfterCompletion.madeFor(registered, owner);
        if (ours != null) {
          return (T) ours.completion;
        }
      }
      T completion = create.get();
      // Ordered.LOWEST_PRECEDENCE: after the application's own synchronizations.
      registerSynchronization.invoke(AfterCompletion.of(synchronizationType, owner, completion, SPRING_COMMITTED, Integer.MAX_VALUE));
      return completion;
    } catch (Throwable t) {
      AgentLog.warn("spring-tx-register", "cannot take part in a Spring transaction (" + t + "); writes inside transactions"
          + " evict only when they return, and misses inside them are not stored");
      return null;
    }
  }
}
