package io.cacheagent.ops;

import com.sun.tools.attach.VirtualMachine;
import io.cacheagent.logging.AgentLog;
import io.cacheagent.runtime.MethodControl;
import io.cacheagent.runtime.MethodTable;
import io.cacheagent.store.CacheStore;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/*
 * Publishes the agent and each cached method as MXBeans in the platform MBean server, where
 * jconsole, VisualVM and JMX exporters find them.
 *
 * Methods are registered as their classes are instrumented, which happens inside class loading; a
 * JMX call there could load classes of its own and deadlock. So a daemon thread looks for new
 * methods once a second and registers them from outside.
 */
public final class JmxExporter {

  /** The domain of every name the agent registers. */
  public static final String DOMAIN = "io.cacheagent";

  /** The name of the agent's own MXBean. */
  static final ObjectName AGENT = name(DOMAIN + ":type=Agent");

  /** The pattern that matches every cached method's MXBean. */
  static final ObjectName CACHED_METHODS = name(DOMAIN + ":type=CachedMethod,*");

  private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
  private final MethodTable table;
  private final CacheStore store;
  private final Set<String> registered = new HashSet<>();

  private JmxExporter(MethodTable table, CacheStore store) {
    this.table = table;
    this.store = store;
  }

  /** Registers the agent's MXBean now, and each method's within a second of its instrumentation. */
  public static void start(MethodTable table, CacheStore store, AgentMXBean agent) {
    JmxExporter exporter = new JmxExporter(table, store);
    try {
      exporter.server.registerMBean(agent, AGENT);
    } catch (JMException e) {
      AgentLog.warn("jmx", "cannot register the agent in JMX (" + e + "); the cache works, but not visible there");
      return;
    }
    AgentThreads.daemon("jmx", exporter::run).start();
  }

  private static ObjectName name(String text) {
    try {
      return new ObjectName(text);
    } catch (JMException e) {
      throw new IllegalStateException(e); // the names above are constants
    }
  }

  /**
   * Connects to the platform MBean server of the JVM {@code vm} is attached to, starting its local
   * management agent if it is not running (for the commands).
   */
  static JMXConnector connect(VirtualMachine vm) throws IOException {
    return JMXConnectorFactory.connect(new JMXServiceURL(vm.startLocalManagementAgent()));
  }

  private void run() {
    while (true) {
      try {
        registerNewMethods();
        Thread.sleep(1_000);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException | JMException e) {
        AgentLog.warn("jmx", "cannot register a cached method in JMX (" + e + ")");
      }
    }
  }

  private void registerNewMethods() throws JMException {
    for (MethodControl method : table.controls(store)) {
      String key = method.name() + "@" + method.loaderId();
      if (registered.add(key)) {
        ObjectName name = new ObjectName(DOMAIN + ":type=CachedMethod,name=" + ObjectName.quote(method.name()));
        if (server.isRegistered(name)) { // the same method in a second class loader
          name = new ObjectName(DOMAIN + ":type=CachedMethod,name=" + ObjectName.quote(method.name())
              + ",loader=" + Integer.toHexString(method.loaderId()));
        }
        server.registerMBean(new CachedMethodBean(method), name);
      }
    }
  }

  /** One method's MXBean over its MethodControl. */
  private record CachedMethodBean(MethodControl method) implements CachedMethodMXBean {

    @Override
    public String getMethod() {
      return method.name();
    }

    @Override
    public long getHits() {
      return method.hits();
    }

    @Override
    public long getMisses() {
      return method.misses();
    }

    @Override
    public double getHitRatio() {
      long hits = method.hits();
      long calls = hits + method.misses();
      return calls == 0 ? 0 : (double) hits / calls;
    }

    @Override
    public long getCoalesced() {
      return method.coalesced();
    }

    @Override
    public long getUncached() {
      return method.uncached();
    }

    @Override
    public long getManaged() {
      return method.managed();
    }

    @Override
    public long getEvictions() {
      return method.evictions();
    }

    @Override
    public long getEvictionKeyFailures() {
      return method.evictionKeyFailures();
    }

    @Override
    public long getErrors() {
      return method.errors();
    }

    @Override
    public double getLoadMillisP50() {
      return method.loadSeconds(50) * 1000;
    }

    @Override
    public double getLoadMillisP90() {
      return method.loadSeconds(90) * 1000;
    }

    @Override
    public double getLoadMillisP99() {
      return method.loadSeconds(99) * 1000;
    }

    @Override
    public boolean isEnabled() {
      return method.enabled();
    }

    @Override
    public void setEnabled(boolean enabled) {
      method.enable(enabled);
      AgentLog.info("JMX: " + method.name() + " switched " + (enabled ? "on" : "off") + " until the configuration file changes");
    }

    @Override
    public void dropAllEntries() {
      try {
        method.dropAllEntries().toCompletableFuture().get(5, TimeUnit.SECONDS);
        AgentLog.info("JMX: dropped every entry of " + method.name());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted before the store confirmed the drop");
      } catch (ExecutionException | TimeoutException e) {
        // The caller (jconsole, a script) sees it failed; nothing was dropped.
        throw new IllegalStateException("the store did not drop the entries of " + method.name() + ": " + e.getCause());
      }
    }
  }
}
