package com.acme.jta;

import jakarta.transaction.Transaction;
import jakarta.transaction.TransactionManager;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;

/**
 * Prices kept as a database keeps them: a change made inside a JTA transaction is seen by that
 * transaction at once and by everyone else only once it committed (the book takes part in the
 * transaction as an XA resource), and never if it rolled back.
 */
final class PriceBook {

  private final TransactionManager transactions;
  private final Map<String, Long> committed = new ConcurrentHashMap<>();
  private final Map<Transaction, Changes> pending = new ConcurrentHashMap<>();

  PriceBook(TransactionManager transactions) {
    this.transactions = transactions;
  }

  long get(String sku) throws Exception {
    Transaction current = transactions.getTransaction();
    Changes changes = current == null ? null : pending.get(current);
    Long own = changes == null ? null : changes.prices.get(sku);
    return own != null ? own : committed.getOrDefault(sku, 0L);
  }

  void set(String sku, long price) throws Exception {
    Transaction current = transactions.getTransaction();
    if (current == null) {
      committed.put(sku, price);
      return;
    }
    Changes changes = pending.get(current);
    if (changes == null) {
      changes = new Changes(current);
      pending.put(current, changes);
      current.enlistResource(changes);
    }
    changes.prices.put(sku, price);
  }

  /** One transaction's changes: applied when it commits. */
  private final class Changes implements XAResource {
    final Transaction transaction;
    final Map<String, Long> prices = new ConcurrentHashMap<>();

    Changes(Transaction transaction) {
      this.transaction = transaction;
    }

    @Override
    public void commit(Xid xid, boolean onePhase) {
      committed.putAll(prices);
      pending.remove(transaction);
    }

    @Override
    public void rollback(Xid xid) {
      pending.remove(transaction);
    }

    @Override
    public int prepare(Xid xid) {
      return XA_OK;
    }

    @Override
    public void start(Xid xid, int flags) {}

    @Override
    public void end(Xid xid, int flags) {}

    @Override
    public void forget(Xid xid) {}

    @Override
    public Xid[] recover(int flag) {
      return new Xid[0];
    }

    @Override
    public boolean isSameRM(XAResource other) {
      return other == this;
    }

    @Override
    public int getTransactionTimeout() {
      return 0;
    }

    @Override
    public boolean setTransactionTimeout(int seconds) {
      return false;
    }
  }
}
