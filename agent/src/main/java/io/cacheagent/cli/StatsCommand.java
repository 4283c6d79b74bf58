package io.cacheagent.cli;

import io.cacheagent.jmx.JmxExporter;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;

/**
 * {@code java -jar cache-agent.jar stats <pid>}: the per-method table of a running JVM, read over
 * JMX after attaching to it (the JVM's local management agent is started if it is not running).
 */
final class StatsCommand {

  /** The columns after the method's, whose width is its longest signature's. */
  private static final String COLUMNS = " %-7s %10s %10s %10s %9s %10s %9s %8s %8s %7s %9s %9s";
  private static final String[] HEADER =
      {"method", "enabled", "hits", "near hits", "misses", "hit ratio", "coalesced", "uncached", "managed", "off", "errors", "load p50", "load p99"};

  private StatsCommand() {}

  static int run(String pid, PrintStream out) throws Exception {
    AttachedJvm vm = AttachedJvm.attach(pid);
    try (JMXConnector connector = AgentConnection.connect(vm)) {
      MBeanServerConnection beans = connector.getMBeanServerConnection();
      ObjectName agent = JmxExporter.AGENT;
      if (!AgentConnection.awaitAgent(beans, vm, AgentConnection.CLIENT_WAIT_MILLIS)) {
        out.println("JVM " + pid + " runs no started cache-agent");
        return 1;
      }
      out.println("JVM " + pid + ": store " + beans.getAttribute(agent, "Store") + ", " + beans.getAttribute(agent, "StoreState")
          + "; configuration " + beans.getAttribute(agent, "ConfigFile") + ", version " + beans.getAttribute(agent, "ConfigVersion")
          + "; metrics " + beans.getAttribute(agent, "MetricsUrl"));
      List<String[]> rows = new ArrayList<>();
      rows.add(HEADER);
      for (ObjectName method : new TreeSet<>(beans.queryNames(JmxExporter.CACHED_METHODS, null))) {
        rows.add(new String[] {String.valueOf(beans.getAttribute(method, "Method")), String.valueOf(beans.getAttribute(method, "Enabled")),
            String.valueOf(beans.getAttribute(method, "Hits")), String.valueOf(beans.getAttribute(method, "NearHits")),
            String.valueOf(beans.getAttribute(method, "Misses")),
            String.format(Locale.ROOT, "%.1f%%", 100 * (double) beans.getAttribute(method, "HitRatio")),
            String.valueOf(beans.getAttribute(method, "Coalesced")), String.valueOf(beans.getAttribute(method, "Uncached")),
            String.valueOf(beans.getAttribute(method, "Managed")), String.valueOf(beans.getAttribute(method, "SwitchedOff")),
            String.valueOf(beans.getAttribute(method, "Errors")),
            String.format(Locale.ROOT, "%.2fms", (double) beans.getAttribute(method, "LoadMillisP50")),
            String.format(Locale.ROOT, "%.2fms", (double) beans.getAttribute(method, "LoadMillisP99"))});
      }
      table(rows).forEach(out::println);
      return 0;
    } finally {
      vm.detach();
    }
  }

  /** The rows as lines, the method column as wide as its longest signature, so that the others line up. */
  static List<String> table(List<String[]> rows) {
    int width = 0;
    for (String[] row : rows) {
      width = Math.max(width, row[0].length());
    }
    String format = "%-" + width + "s" + COLUMNS;
    List<String> lines = new ArrayList<>();
    for (String[] row : rows) {
      lines.add(String.format(Locale.ROOT, format, (Object[]) row));
    }
    return lines;
  }
}
