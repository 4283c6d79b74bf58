package io.cacheagent.runtime;

import io.cacheagent.store.CacheStore;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * What the runtime does when a transaction (Spring's, JTA's) it took part in completed: the
 * evictions of its writes again, then, if it committed, the stores of its misses (each a
 * compare-and-set on what its miss read, so none lands over a tombstone of the transaction's own
 * writes). One per transaction, however many writes and misses it holds.
 */
final class AfterTransaction implements Transactions.Completion {

  final List<Evictions.Planned> evictions = new ArrayList<>();
  final List<Runnable> stores = new ArrayList<>();
  private final CacheStore store;
  private final Evictions sender;

  AfterTransaction(CacheStore store, Evictions sender) {
    this.store = store;
    this.sender = sender;
  }

  @Override
  public void completed(int status) {
    store.awaitWrites(sender.send(new ArrayList<>(new LinkedHashSet<>(evictions))));
    if (status == Transactions.COMMITTED) {
      stores.forEach(Runnable::run);
    }
  }
}
