package io.cacheagent.ops;

import com.sun.tools.attach.VirtualMachine;
import java.io.File;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;

/**
 * {@code java -jar cache-agent.jar attach <pid> <config.yaml>}: adds caching to a running JVM. The
 * agent starts there as it does with {@code -javaagent} (in the background; classes already loaded
 * are transformed again), and logs to that JVM's standard error. Attaching to a JVM that already
 * runs the agent changes nothing.
 */
final class AttachCommand {

  private AttachCommand() {}

  static int run(String pid, Path config, File agentJar, PrintStream out) throws Exception {
    Path absolute = config.toAbsolutePath();
    if (!Files.isReadable(absolute)) {
      out.println("cannot read " + absolute);
      return 1;
    }
    VirtualMachine vm = VirtualMachine.attach(pid);
    try {
      String running = runningConfig(vm);
      if (running != null) {
        out.println("JVM " + pid + " already runs cache-agent with " + running + "; nothing changed"
            + " (edit that file instead: changes apply within a second)");
        return 0;
      }
      vm.loadAgent(agentJar.getAbsolutePath(), absolute.toString());
    } finally {
      vm.detach();
    }
    out.println("attached cache-agent to JVM " + pid + " with " + absolute + "; that JVM's standard error says"
        + " \"[cache-agent] ready\" when it caches");
    if (Runtime.version().feature() >= 21) {
      out.println("note: JDK 21 and later print a warning on dynamic agent loading unless the JVM was started with"
          + " -XX:+EnableDynamicAgentLoading; a later JDK may refuse it without that flag");
    }
    return 0;
  }

  /** The configuration file of the agent already running in {@code vm}, or {@code null}. */
  private static String runningConfig(VirtualMachine vm) throws Exception {
    try (JMXConnector connector = JmxExporter.connect(vm)) {
      MBeanServerConnection beans = connector.getMBeanServerConnection();
      return beans.isRegistered(JmxExporter.AGENT) ? String.valueOf(beans.getAttribute(JmxExporter.AGENT, "ConfigFile")) : null;
    }
  }
}
