package io.cacheagent.runtime;

import java.util.function.Supplier;
import lombok.Value;

/**
 * The transaction the calling thread runs in, as the application manages it: Spring's
 * ({@link SpringTransactions}) or, where no Spring transaction is under way, JTA's
 * ({@link JtaTransactions}: an application server, or a standalone transaction manager bound in
 * JNDI). Outside transactions every question answers no, and nothing changes for a call.
 *
 * <p>Why the agent follows transactions at all: a write inside a transaction returns before its
 * changes commit, and a read inside one may load what it has not committed (see SpringTransactions).
 */
interface Transactions {

  /** The status {@link Completion#completed} gets for a committed transaction. */
  int COMMITTED = 0;
  /** The status it gets for any other end (rolled back, unknown). */
  int NOT_COMMITTED = 1;

  /** Whether the calling thread runs in a transaction at all: its caller's, or one begun for the method it is in. */
  boolean inTransaction();

  /** Whether what the calling thread reads may include writes not yet committed. */
  boolean mayReadUncommitted();

  /**
   * Whether the call runs inside a transaction that a caller began, rather than one begun for the
   * method itself: an entity returned there stays managed; {@code true} when it cannot be told.
   */
  boolean inCallersTransaction(Object self, String declaringClass, String methodName);

  /** Whether a persistence context stays open on the thread after the call, loading lazy parts later. */
  boolean persistenceContextOutlivesCall();

  /**
   * The {@code owner}'s state for the calling thread's transaction: made by {@code create} and
   * registered to hear of the completion the first time in each transaction, the same object
   * afterwards; {@code null} outside transactions, or when it cannot take part (logged).
   */
  <T extends Completion> T forTransaction(Object owner, Supplier<T> create);

  /** What an owner does when a transaction it took part in completed. */
  interface Completion {
    /** {@code status}: {@link #COMMITTED} or {@link #NOT_COMMITTED}. */
    void completed(int status);
  }

  /** Spring's transactions where one is under way, else JTA's, as {@code loader} sees them. */
  static Transactions seenBy(ClassLoader loader) {
    SpringTransactions spring = SpringTransactions.seenBy(loader);
    JtaTransactions jta = SpringOrJta.hasNaming() ? JtaTransactions.seenBy(loader) : null;
    return jta == null ? spring : new SpringOrJta(spring, jta);
  }

  /**
   * A Spring transaction (which may itself run on JTA, through Spring's JtaTransactionManager) is
   * followed through Spring; otherwise a JTA transaction, if any. A Spring scope without a
   * transaction of its own (SUPPORTS, NOT_SUPPORTED) inside a JTA transaction is the JTA one's.
   */
  @Value
  static class SpringOrJta implements Transactions {
    SpringTransactions spring;
    JtaTransactions jta;

    /**
     * Whether this JVM has JNDI (the {@code java.naming} module): a runtime made with jlink may not,
     * and JtaTransactions, which names its classes, could then not even be linked.
     */
    static boolean hasNaming() {
      try {
        Class.forName("javax.naming.InitialContext", false, null);
        return true;
      } catch (ClassNotFoundException | LinkageError noJavaNamingModule) {
        return false;
      }
    }

    private Transactions current() {
      return spring.hasActualTransaction() || !jta.isActive() ? spring : jta;
    }

    @Override
    public boolean inTransaction() {
      return spring.hasActualTransaction() || jta.isActive();
    }

    @Override
    public boolean mayReadUncommitted() {
      return current().mayReadUncommitted();
    }

    @Override
    public boolean inCallersTransaction(Object self, String declaringClass, String methodName) {
      return current().inCallersTransaction(self, declaringClass, methodName);
    }

    @Override
    public boolean persistenceContextOutlivesCall() {
      return spring.persistenceContextOutlivesCall();
    }

    @Override
    public <T extends Completion> T forTransaction(Object owner, Supplier<T> create) {
      return current().forTransaction(owner, create);
    }
  }

  /**
   * Looked up on first use, not when the method is instrumented: its class is then being loaded,
   * and loading others from there may deadlock.
   */
  final class OnFirstUse {
    private final ClassLoader loader;
    private volatile Transactions found;

    OnFirstUse(ClassLoader loader) {
      this.loader = loader;
    }

    Transactions get() {
      Transactions current = found;
      if (current == null) {
        current = seenBy(loader);
        found = current;
      }
      return current;
    }
  }
}
