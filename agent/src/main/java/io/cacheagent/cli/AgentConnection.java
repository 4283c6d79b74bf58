package io.cacheagent.cli;

import io.cacheagent.jmx.JmxExporter;
import io.cacheagent.startup.StartStatus;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/** The commands' side of JMX: a connection to the agent in another JVM, through the Attach API. */
final class AgentConnection {

  /** How long a command waits for the agent's MXBean once it connected: a few looks of the agent. */
  static final long CLIENT_WAIT_MILLIS = 2_000;

  private AgentConnection() {}

  /**
   * Connects to the platform MBean server of the JVM {@code vm} is attached to, starting its local
   * management agent if it is not running.
   */
  static JMXConnector connect(AttachedJvm vm) throws Exception {
    return JMXConnectorFactory.connect(new JMXServiceURL(vm.startLocalManagementAgent()));
  }

  /**
   * Whether the agent's MXBean shows in {@code beans} of {@code vm} within {@code millis}: a JMX
   * client that just made the platform MBean server waits for the agent to see it. No wait where
   * no agent runs.
   */
  static boolean awaitAgent(MBeanServerConnection beans, AttachedJvm vm, long millis) throws Exception {
    if (vm.systemProperties().getProperty(StartStatus.PROPERTY) == null) {
      return beans.isRegistered(JmxExporter.AGENT);
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (!beans.isRegistered(JmxExporter.AGENT)) {
      if (System.nanoTime() - deadline >= 0) {
        return false;
      }
      Thread.sleep(50);
    }
    return true;
  }
}
