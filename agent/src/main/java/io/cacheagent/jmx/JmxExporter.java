package io.cacheagent.jmx;

import io.cacheagent.logging.AgentLog;
import io.cacheagent.runtime.MethodControl;
import io.cacheagent.runtime.MethodTable;
import io.cacheagent.store.CacheStore;
import io.cacheagent.threads.AgentThreads;
import java.lang.management.ManagementFactory;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import lombok.Value;

/*
 * Publishes the agent and each cached method as MXBeans in the platform MBean server, where
 * jconsole, VisualVM and JMX exporters find them.
 *
 * Methods are registered as their classes are instrumented, which happens inside class loading; a
 * JMX call there could load classes of its own and deadlock. So a daemon thread looks for new
 * methods once a second and registers them from outside.
 *
 * Making the platform MBean server costs some 250 ms of CPU (its platform MXBeans, JFR's, the
 * logging one), which an application starting on a small machine pays in start time. So the agent
 * does not make it: it registers once someone else has (the application, -Dcom.sun.management
 * .jmxremote, a JMX client such as jconsole or the stats command, whose attach starts the local
 * management agent), or DEFER_NANOS after it started, whichever comes first.
 */
public final class JmxExporter {

  /** The domain of every name the agent registers. */
  public static final String DOMAIN = "io.cacheagent";

  /** The name of the agent's own MXBean. */
  public static final ObjectName AGENT = name(DOMAIN + ":type=Agent");

  /** The pattern that matches every cached method's MXBean. */
  public static final ObjectName CACHED_METHODS = name(DOMAIN + ":type=CachedMethod,*");

  /** Longest the agent waits for someone else to make the platform MBean server: 10 seconds. */
  static final long DEFER_NANOS = TimeUnit.SECONDS.toNanos(10);

  /** How often it looks meanwhile; a JMX client that made the server finds the agent within about this long. */
  static final long LOOK_MILLIS = 100;

  private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
  private final MethodTable table;
  private final CacheStore store;
  private final Set<String> registered = new HashSet<>();

  private JmxExporter(MethodTable table, CacheStore store) {
    this.table = table;
    this.store = store;
  }

  /**
   * Registers the agent's MXBean once the platform MBean server exists (see above), and each
   * method's within a second of its instrumentation, on a daemon thread.
   */
  public static void start(MethodTable table, CacheStore store, AgentMXBean agent) {
    AgentThreads.daemon("jmx", () -> {
      JmxExporter exporter;
      try {
        awaitPlatformServer();
        exporter = new JmxExporter(table, store);
        // The methods first: a client that finds the agent's MXBean finds the methods known by then.
        exporter.registerNewMethods();
        exporter.server.registerMBean(agent, AGENT);
      } catch (InterruptedException e) {
        return;
      } catch (JMException | RuntimeException | LinkageError e) {
        AgentLog.warn("jmx", "cannot register the agent in JMX (" + e + "); the cache works, but not visible there");
        return;
      }
      exporter.run();
    }).start();
  }

  /** Returns once the platform MBean server was made by someone else, or after DEFER_NANOS. */
  private static void awaitPlatformServer() throws InterruptedException {
    long deadline = System.nanoTime() + DEFER_NANOS;
    // The platform server is made through MBeanServerFactory, which then lists it.
    while (System.nanoTime() - deadline < 0 && MBeanServerFactory.findMBeanServer(null).isEmpty()) {
      Thread.sleep(LOOK_MILLIS);
    }
  }

  private static ObjectName name(String text) {
    try {
      return new ObjectName(text);
    } catch (JMException e) {
      throw new IllegalStateException(e); // the names above are constants
    }
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
  @Value
  private static class CachedMethodBean implements CachedMethodMXBean {

    MethodControl method;

    @Override
    public String getMethod() {
      return method.name();
    }

    @Override
    public long getHits() {
      return method.snapshot().hits();
    }

    @Override
    public long getNearHits() {
      return method.snapshot().nearHits();
    }

    @Override
    public long getMisses() {
      return method.snapshot().misses();
    }

    @Override
    public double getHitRatio() {
      return method.snapshot().hitRatio();
    }

    @Override
    public long getCoalesced() {
      return method.snapshot().coalesced();
    }

    @Override
    public long getUncached() {
      return method.snapshot().uncached();
    }

    @Override
    public long getManaged() {
      return method.snapshot().managed();
    }

    @Override
    public long getSwitchedOff() {
      return method.snapshot().off();
    }

    @Override
    public long getEvictions() {
      return method.snapshot().evictions();
    }

    @Override
    public long getRefreshes() {
      return method.snapshot().refreshes();
    }

    @Override
    public long getRefreshFailures() {
      return method.snapshot().refreshFailures();
    }

    @Override
    public long getEvictionKeyFailures() {
      return method.snapshot().evictionKeyFailures();
    }

    @Override
    public long getErrors() {
      return method.snapshot().errors();
    }

    @Override
    public double getLoadMillisP50() {
      return method.snapshot().loadSeconds().p50() * 1000;
    }

    @Override
    public double getLoadMillisP90() {
      return method.snapshot().loadSeconds().p90() * 1000;
    }

    @Override
    public double getLoadMillisP99() {
      return method.snapshot().loadSeconds().p99() * 1000;
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
