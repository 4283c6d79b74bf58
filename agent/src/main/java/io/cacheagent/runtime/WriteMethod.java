package io.cacheagent.runtime;

import io.cacheagent.config.MethodSignature;
import io.cacheagent.jdk.Immutable;
import java.util.List;

/**
 * One instrumented write method and the evictions it triggers, gathered from every cached method
 * whose {@code evictOn} names it.
 */
final class WriteMethod {

  final String name;
  /** Its own canonical signature, and those of the interface or abstract methods it implements. */
  private volatile List<String> configuredAs;
  /** Replaced whole when the configuration is reloaded. */
  volatile List<Eviction> evictions;
  private final Transactions.OnFirstUse transactions;

  WriteMethod(String name, List<String> configuredAs, List<Eviction> evictions, ClassLoader loader) {
    this.name = name;
    this.configuredAs = Immutable.listCopy(configuredAs);
    this.evictions = Immutable.listCopy(evictions);
    this.transactions = new Transactions.OnFirstUse(loader);
  }

  /** The application's transactions as the method's class loader sees them. */
  Transactions transactions() {
    return transactions.get();
  }

  /** Takes what a new transformation found: the names it is known by, and its evictions. */
  void rebind(List<String> names, List<Eviction> next) {
    configuredAs = Immutable.listCopy(names);
    evictions = Immutable.listCopy(next);
  }

  /** Whether an {@code evictOn} signature names this method, itself or what it implements. */
  boolean isKnownAs(MethodSignature signature) {
    return configuredAs.stream().anyMatch(signature::covers);
  }
}
