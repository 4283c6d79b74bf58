package io.cacheagent.ops;

import com.sun.tools.attach.VirtualMachine;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;

/**
 * {@code java -jar cache-agent.jar stats <pid>}: the per-method table of a running JVM, read over
 * JMX after attaching to it (the JVM's local management agent is started if it is not running).
 */
final class StatsCommand {

  private static final String ROW = "%-60s %-7s %10s %10s %9s %10s %9s %8s %7s %9s %9s%n";

  private StatsCommand() {}

  static int run(String pid, PrintStream out) throws Exception {
    VirtualMachine vm = VirtualMachine.attach(pid);
    try (JMXConnector connector = JmxExporter.connect(vm)) {
      MBeanServerConnection beans = connector.getMBeanServerConnection();
      ObjectName agent = JmxExporter.AGENT;
      if (!JmxExporter.awaitAgent(beans, vm, JmxExporter.CLIENT_WAIT_MILLIS)) {
        out.println("JVM " + pid + " runs no started cache-agent");
        return 1;
      }
      out.println("JVM " + pid + ": store " + beans.getAttribute(agent, "Store") + ", " + beans.getAttribute(agent, "StoreState")
          + "; configuration " + beans.getAttribute(agent, "ConfigFile") + ", version " + beans.getAttribute(agent, "ConfigVersion"));
      out.printf(Locale.ROOT, ROW, "method", "enabled", "hits", "misses", "hit ratio", "coalesced", "uncached", "managed", "errors",
          "load p50", "load p99");
      Set<ObjectName> methods = new TreeSet<>(beans.queryNames(JmxExporter.CACHED_METHODS, null));
      for (ObjectName method : methods) {
        out.printf(Locale.ROOT, ROW, beans.getAttribute(method, "Method"), beans.getAttribute(method, "Enabled"),
            beans.getAttribute(method, "Hits"), beans.getAttribute(method, "Misses"),
            String.format(Locale.ROOT, "%.1f%%", 100 * (double) beans.getAttribute(method, "HitRatio")),
            beans.getAttribute(method, "Coalesced"), beans.getAttribute(method, "Uncached"),
            beans.getAttribute(method, "Managed"), beans.getAttribute(method, "Errors"),
            String.format(Locale.ROOT, "%.2fms", (double) beans.getAttribute(method, "LoadMillisP50")),
            String.format(Locale.ROOT, "%.2fms", (double) beans.getAttribute(method, "LoadMillisP99")));
      }
      return 0;
    } finally {
      vm.detach();
    }
  }
}
