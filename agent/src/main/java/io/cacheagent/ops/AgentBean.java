package io.cacheagent.ops;

import io.cacheagent.store.CacheStore;

/** The agent's MXBean: the store it uses and the configuration file it watches. */
public final class AgentBean implements AgentMXBean {

  private final CacheStore store;
  private final ConfigWatcher watcher;

  public AgentBean(CacheStore store, ConfigWatcher watcher) {
    this.store = store;
    this.watcher = watcher;
  }

  @Override
  public String getStore() {
    return store.describe();
  }

  @Override
  public String getStoreState() {
    return store.state();
  }

  @Override
  public String getConfigFile() {
    return watcher.file().toAbsolutePath().toString();
  }

  @Override
  public int getConfigVersion() {
    return watcher.version();
  }

  @Override
  public String getLastReload() {
    return watcher.lastOutcome();
  }

  @Override
  public void reload() {
    watcher.check();
  }
}
