package io.cacheagent.cli;

import io.cacheagent.jdk.JavaRuntime;
import io.cacheagent.jmx.JmxExporter;
import io.cacheagent.startup.StartStatus;
import java.io.File;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;

/**
 * {@code java -jar cache-agent.jar attach <pid> <config.yaml>}: adds caching to a running JVM. The
 * agent starts there as it does with {@code -javaagent} (in the background; classes already loaded
 * are transformed again), and logs to that JVM's standard error. The command waits for the agent's
 * verdict there (see {@link StartStatus}) and reports it: exit 0 when it is ready, 1 when it
 * refused the configuration or could not start, 2 when it gave no verdict in time. Attaching to a
 * JVM that already runs the agent changes nothing.
 */
final class AttachCommand {

  /** How long the command waits for the agent's verdict, in milliseconds. */
  static final long VERDICT_WAIT_MILLIS = 30_000;

  private AttachCommand() {}

  /**
   * @param dropEntries whether to drop every entry of the configured methods once the agent runs:
   *     writes the JVM made before it had the agent were never evicted, so what other JVMs cached
   *     may be stale
   */
  static int run(String pid, Path config, boolean dropEntries, File agentJar, PrintStream out) throws Exception {
    Path absolute = config.toAbsolutePath();
    if (!Files.isReadable(absolute)) {
      out.println("cannot read " + absolute);
      return 1;
    }
    AttachedJvm vm = AttachedJvm.attach(pid);
    try {
      String running = runningConfig(vm);
      if (running != null) {
        out.println("JVM " + pid + " already runs cache-agent with " + running + "; nothing changed"
            + " (edit that file instead: changes apply within a second)");
        return dropEntries ? dropEntries(vm, out) : 0;
      }
      vm.loadAgent(agentJar.getAbsolutePath(), absolute.toString());
      if (JavaRuntime.release(vm.systemProperties().getProperty("java.specification.version", "")) >= 21) {
        out.println("note: JDK 21 and later print a warning on dynamic agent loading unless the JVM was started with"
            + " -XX:+EnableDynamicAgentLoading; a later JDK may refuse it without that flag");
      }
      int verdict = report(awaitVerdict(vm), pid, absolute, out);
      if (verdict != 0) {
        return verdict;
      }
      if (dropEntries) {
        return dropEntries(vm, out);
      }
      out.println("note: writes JVM " + pid + " made before now were not evicted, so what other JVMs cached of the"
          + " configured methods may be stale until it expires; to drop it, run this again with --drop-entries");
      return 0;
    } finally {
      vm.detach();
    }
  }

  /** The agent's status in {@code vm} once it is no longer starting, or {@code null} after the wait. */
  private static String awaitVerdict(AttachedJvm vm) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(VERDICT_WAIT_MILLIS);
    while (System.nanoTime() < deadline) {
      String status = vm.systemProperties().getProperty(StartStatus.PROPERTY);
      if (status != null && !status.equals("starting")) {
        return status;
      }
      Thread.sleep(100);
    }
    return null;
  }

  private static int report(String status, String pid, Path config, PrintStream out) {
    if (status == null) {
      out.println("attached cache-agent to JVM " + pid + " with " + config + ", but it did not say within "
          + VERDICT_WAIT_MILLIS / 1000 + " s whether it started; see that JVM's standard error");
      return 2;
    }
    if (status.startsWith("ready: ")) {
      out.println("attached cache-agent to JVM " + pid + " with " + config + "; " + status);
      return 0;
    }
    String why = status.substring(status.indexOf(": ") + 2);
    out.println((status.startsWith("refused: ") ? "JVM " + pid + " refused " + config + ":" : "cache-agent could not start in JVM "
        + pid + ":") + System.lineSeparator() + why);
    return 1;
  }

  /** Drops every entry of the configured methods through the agent in {@code vm}, as JMX does. */
  private static int dropEntries(AttachedJvm vm, PrintStream out) throws Exception {
    try (JMXConnector connector = AgentConnection.connect(vm)) {
      MBeanServerConnection beans = connector.getMBeanServerConnection();
      AgentConnection.awaitAgent(beans, vm, VERDICT_WAIT_MILLIS); // it registers its MXBean just after it said it was ready
      try {
        Object dropped = beans.invoke(JmxExporter.AGENT, "dropAllEntries", new Object[0], new String[0]);
        out.println("dropped every entry of " + dropped + " configured cached methods, in every JVM on this Redis");
        return 0;
      } catch (javax.management.MBeanException | javax.management.InstanceNotFoundException e) {
        out.println("could not drop the entries: " + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()));
        return 1;
      }
    }
  }

  /** The configuration file of the agent already running in {@code vm}, or {@code null}. */
  private static String runningConfig(AttachedJvm vm) throws Exception {
    try (JMXConnector connector = AgentConnection.connect(vm)) {
      MBeanServerConnection beans = connector.getMBeanServerConnection();
      return AgentConnection.awaitAgent(beans, vm, AgentConnection.CLIENT_WAIT_MILLIS)
          ? String.valueOf(beans.getAttribute(JmxExporter.AGENT, "ConfigFile")) : null;
    }
  }
}
