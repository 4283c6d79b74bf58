package io.cacheagent.runtime;

import java.util.List;

/**
 * One instrumented write method and the evictions it triggers, gathered from every cached method
 * whose {@code evictOn} names it.
 */
final class WriteMethod {

  final String name;
  /** Replaced whole when the configuration is reloaded. */
  volatile List<Eviction> evictions;

  WriteMethod(String name, List<Eviction> evictions) {
    this.name = name;
    this.evictions = List.copyOf(evictions);
  }
}
