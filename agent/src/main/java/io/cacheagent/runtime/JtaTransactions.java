package io.cacheagent.runtime;

import io.cacheagent.jdk.Immutable;
import io.cacheagent.logging.AgentLog;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.Supplier;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import lombok.Value;

/**
 * JTA transactions, followed through the {@code TransactionSynchronizationRegistry} that Java EE
 * and Jakarta EE application servers (and standalone transaction managers set up so) bind at
 * {@code java:comp/TransactionSynchronizationRegistry}: for applications that manage transactions
 * without Spring (EJBs with container-managed transactions, {@code UserTransaction}).
 *
 * <p>The registry is looked up on the application's thread, where its component's naming context
 * is, on the first call that asks; when it is not there (a thread outside any component), the
 * lookup is tried again at most every {@link #RETRY_NANOS}. A lookup costs some 40 ms the first
 * time in a JVM (JNDI's classes, loaded cold), so it is made only where it can succeed: the JTA API
 * is visible to the application, and the {@code java:} namespace is served, as application servers
 * serve it (the {@code java.naming.factory.url.pkgs} property, an {@code
 * InitialContextFactoryBuilder}, or a {@code jndi.properties}). Both {@code
 * javax} and {@code jakarta} registries are used through their own interfaces, found by name.
 *
 * <p>A JTA transaction does not say whether it was begun for the method itself (a container-managed
 * transaction) or by a caller: inside any, an entity result is taken to be the caller's, managed,
 * and is not served from the cache.
 */
final class JtaTransactions implements Transactions {

  static final String REGISTRY_NAME = "java:comp/TransactionSynchronizationRegistry";
  private static final long RETRY_NANOS = 10_000_000_000L;

  // javax.transaction.Status (jakarta.transaction.Status): the same values in both.
  private static final int STATUS_COMMITTED = 3;
  private static final int STATUS_NO_TRANSACTION = 6;

  private static final java.util.List<String> REGISTRY_INTERFACES =
      Immutable.listOf("jakarta.transaction.TransactionSynchronizationRegistry", "javax.transaction.TransactionSynchronizationRegistry");

  /**
   * One per class loader, so that the methods of one application share the lookup and its retries;
   * empty for a loader that does not see the JTA API.
   */
  private static final Map<ClassLoader, java.util.Optional<JtaTransactions>> BY_LOADER = new WeakHashMap<>();

  private volatile Registry registry;
  private volatile long nextLookupNanos = System.nanoTime();

  private JtaTransactions() {}

  /**
   * JTA's transactions as seen from {@code loader}'s threads, or {@code null} where the loader does
   * not see the JTA API. Only for a JVM with JNDI (see Transactions#seenBy).
   */
  static JtaTransactions seenBy(ClassLoader loader) {
    if (loader == null) {
      return null;
    }
    synchronized (BY_LOADER) {
      return BY_LOADER.computeIfAbsent(loader,
          ignored -> seesJtaApi(loader) ? java.util.Optional.of(new JtaTransactions()) : java.util.Optional.empty())
          .orElse(null);
    }
  }

  private static boolean seesJtaApi(ClassLoader loader) {
    for (String name : REGISTRY_INTERFACES) {
      try {
        Class.forName(name, false, loader);
        return true;
      } catch (ClassNotFoundException | LinkageError absent) {
        // try the other
      }
    }
    return false;
  }

  /**
   * Whether a JNDI lookup of a {@code java:} name can find anything: the JVM serves that namespace,
   * as application servers configure it. {@code java.naming.factory.initial} alone does not count:
   * remote clients (of EJBs, of JMS) set it, and their default context may answer over the network.
   */
  private static boolean javaNamespaceServed() {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    return System.getProperty(javax.naming.Context.URL_PKG_PREFIXES) != null
        || javax.naming.spi.NamingManager.hasInitialContextFactoryBuilder()
        || context != null && context.getResource("jndi.properties") != null;
  }

  /** The registry, looked up now if it was not found yet and a retry is due; {@code null} if there is none. */
  private Registry registry() {
    Registry found = registry;
    if (found != null) {
      return found;
    }
    long now = System.nanoTime();
    if (now - nextLookupNanos < 0) {
      return null;
    }
    nextLookupNanos = now + RETRY_NANOS;
    Object bound = javaNamespaceServed() ? lookUp() : null;
    if (bound == null) {
      return null;
    }
    try {
      found = Registry.of(bound);
    } catch (ReflectiveOperationException | RuntimeException | LinkageError unusable) {
      AgentLog.warn("jta", REGISTRY_NAME + " holds a " + bound.getClass().getName() + " that cannot be used (" + unusable
          + "); writes inside JTA transactions evict only when they return");
      return null;
    }
    registry = found;
    AgentLog.info("following JTA transactions through " + REGISTRY_NAME + " (" + bound.getClass().getName() + ")");
    return found;
  }

  private static Object lookUp() {
    try {
      InitialContext context = new InitialContext();
      try {
        return context.lookup(REGISTRY_NAME);
      } finally {
        context.close();
      }
    } catch (NamingException | RuntimeException | LinkageError none) {
      return null; // no naming service, or no registry in it: no JTA here (yet)
    }
  }

  private int status() {
    return status(registry());
  }

  private static int status(Registry found) {
    if (found == null) {
      return STATUS_NO_TRANSACTION;
    }
    try {
      return (int) found.getTransactionStatus.invokeExact(found.target);
    } catch (Throwable t) {
      return STATUS_NO_TRANSACTION;
    }
  }

  /** Whether the calling thread runs inside a JTA transaction. */
  boolean isActive() {
    return status() != STATUS_NO_TRANSACTION;
  }

  @Override
  public boolean inTransaction() {
    return isActive();
  }

  /** JTA has no read-only transactions: what one reads may include its own writes. */
  @Override
  public boolean mayReadUncommitted() {
    return isActive();
  }

  @Override
  public boolean inCallersTransaction(Object self, String declaringClass, String methodName) {
    return isActive();
  }

  @Override
  public boolean persistenceContextOutlivesCall() {
    return false;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T extends Completion> T forTransaction(Object owner, Supplier<T> create) {
    Registry found = registry();
    if (status(found) == STATUS_NO_TRANSACTION) {
      return null;
    }
    try {
      // Resources are kept per transaction: the owner's state is found again in the same one.
      Object existing = (Object) found.getResource.invokeExact(found.target, owner);
      if (existing != null) {
        return (T) existing;
      }
      T completion = create.get();
      // Registered first: if the transaction refuses it, no state is left that would never complete.
      found.registerInterposedSynchronization.invoke(found.target,
          AfterCompletion.of(found.synchronizationType, owner, completion, STATUS_COMMITTED, null));
      found.putResource.invokeExact(found.target, owner, (Object) completion);
      return completion;
    } catch (Throwable t) {
      AgentLog.warn("jta-register", "cannot take part in a JTA transaction (" + t + "); writes inside transactions"
          + " evict only when they return, and misses inside them are not stored");
      return null;
    }
  }

  /** The registry bound in JNDI, used through its own interface ({@code javax} or {@code jakarta}). */
  @Value
  private static class Registry {
    Object target;
    Class<?> synchronizationType;
    MethodHandle getTransactionStatus;
    MethodHandle getResource;
    MethodHandle putResource;
    MethodHandle registerInterposedSynchronization;

    static Registry of(Object bound) throws ReflectiveOperationException {
      Class<?> api = registryInterface(bound.getClass());
      if (api == null) {
        throw new ClassNotFoundException("no javax or jakarta TransactionSynchronizationRegistry among its interfaces");
      }
      String pkg = api.getName().substring(0, api.getName().lastIndexOf('.'));
      Class<?> synchronization = Class.forName(pkg + ".Synchronization", false, api.getClassLoader());
      MethodHandles.Lookup lookup = MethodHandles.publicLookup();
      return new Registry(bound, synchronization,
          lookup.findVirtual(api, "getTransactionStatus", MethodType.methodType(int.class))
              .asType(MethodType.methodType(int.class, Object.class)),
          lookup.findVirtual(api, "getResource", MethodType.methodType(Object.class, Object.class))
              .asType(MethodType.methodType(Object.class, Object.class, Object.class)),
          lookup.findVirtual(api, "putResource", MethodType.methodType(void.class, Object.class, Object.class))
              .asType(MethodType.methodType(void.class, Object.class, Object.class, Object.class)),
          lookup.findVirtual(api, "registerInterposedSynchronization", MethodType.methodType(void.class, synchronization)));
    }

    private static Class<?> registryInterface(Class<?> type) {
      for (Class<?> c = type; c != null; c = c.getSuperclass()) {
        for (Class<?> implemented : c.getInterfaces()) {
          String name = implemented.getName();
          if (REGISTRY_INTERFACES.contains(name)) {
            return implemented;
          }
        }
      }
      return null;
    }
  }
}
