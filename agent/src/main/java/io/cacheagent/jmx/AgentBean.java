package io.cacheagent.jmx;

import io.cacheagent.config.ConfigWatcher;
import io.cacheagent.logging.AgentLog;
import io.cacheagent.store.CacheStore;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/** The agent's MXBean: the store it uses, the configuration file it watches, and a drop of every entry. */
public final class AgentBean implements AgentMXBean {

  private final CacheStore store;
  private final ConfigWatcher watcher;
  private final String metricsUrl;
  private final Supplier<List<CompletionStage<?>>> dropAll;

  /**
   * @param metricsUrl where the Prometheus endpoint answers; {@code null}: not served
   * @param dropAll sends the drop of every configured cached method, one write each
   */
  public AgentBean(CacheStore store, ConfigWatcher watcher, String metricsUrl, Supplier<List<CompletionStage<?>>> dropAll) {
    this.store = store;
    this.watcher = watcher;
    this.metricsUrl = metricsUrl;
    this.dropAll = dropAll;
  }

  @Override
  public String getMetricsUrl() {
    return metricsUrl == null ? "none" : metricsUrl;
  }

  @Override
  public int dropAllEntries() {
    List<CompletionStage<?>> drops = dropAll.get();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    for (CompletionStage<?> drop : drops) {
      try {
        drop.toCompletableFuture().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted before redis confirmed the drops");
      } catch (ExecutionException | TimeoutException e) {
        throw new IllegalStateException("redis did not confirm the drops (" + e + "); entries may still be served");
      }
    }
    AgentLog.info("dropped every entry of " + drops.size() + " configured cached methods (an operator's request)");
    return drops.size();
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
