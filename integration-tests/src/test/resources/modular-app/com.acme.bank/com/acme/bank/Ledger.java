package com.acme.bank;

import java.util.HashMap;
import java.util.Map;

/** The cached class, package-private, in a named module. */
class Ledger {
  private final Map<Long, Long> cents = new HashMap<>();
  private int reads;

  Account balance(long id) {
    reads++;
    return new Account(id, cents.getOrDefault(id, 100L));
  }

  void deposit(Account account) {
    cents.put(account.id(), account.cents());
  }

  int reads() {
    return reads;
  }
}
