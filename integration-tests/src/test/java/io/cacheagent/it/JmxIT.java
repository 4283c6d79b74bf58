package io.cacheagent.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.tools.attach.VirtualMachine;
import io.cacheagent.testkit.RedisEndpoint;
import io.cacheagent.testkit.RedisExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import javax.management.Attribute;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The agent's MXBeans, read and driven over JMX from outside the app's JVM, as jconsole does. */
@ExtendWith(RedisExtension.class)
class JmxIT {

  private static final ObjectName AGENT = name("io.cacheagent:type=Agent");
  private static final ObjectName FIND_BY_ID =
      name("io.cacheagent:type=CachedMethod,name=" + ObjectName.quote("com.acme.shop.ProductRepository#findById(long)"));

  @TempDir
  Path dir;

  @Test
  void cachedMethodBean_countsAKnownSequenceOfCalls_andItsSwitchAndDropWork(RedisEndpoint redis) throws Exception {
    Path config = Configs.write(dir, "shop.yaml", Configs.shop(redis.uri(), "jmx-" + UUID.randomUUID()));
    try (AppProcess app = AppProcess.shop(config)) {
      app.awaitAgentReady(true); // attaching to a JVM still starting up may go unanswered
      app.call("find 1");
      app.call("find 1");
      app.call("find 2");
      // Attaching makes the platform MBean server, which the agent then registers in.
      try (JMXConnector jmx = connect(app)) {
        MBeanServerConnection beans = jmx.getMBeanServerConnection();
        awaitRegistered(beans, FIND_BY_ID);
        awaitRegistered(beans, AGENT);

        assertThat(beans.getAttribute(FIND_BY_ID, "Hits")).isEqualTo(1L);
        assertThat(beans.getAttribute(FIND_BY_ID, "Misses")).isEqualTo(2L);
        assertThat((double) beans.getAttribute(FIND_BY_ID, "HitRatio")).isEqualTo(1.0 / 3);
        assertThat(beans.getAttribute(FIND_BY_ID, "Enabled")).isEqualTo(true);
        assertThat(beans.getAttribute(FIND_BY_ID, "Evictions")).isEqualTo(0L);
        assertThat((double) beans.getAttribute(FIND_BY_ID, "LoadMillisP99")).isPositive();

        beans.setAttribute(FIND_BY_ID, new Attribute("Enabled", false));
        assertThat(app.call("find 1")).isEqualTo("Product{1,product-1,10} queries=3");
        assertThat(beans.getAttribute(FIND_BY_ID, "SwitchedOff")).as("counted while off").isEqualTo(1L);
        assertThat((double) beans.getAttribute(FIND_BY_ID, "HitRatio")).as("1 served of 4 calls").isEqualTo(1.0 / 4);
        beans.setAttribute(FIND_BY_ID, new Attribute("Enabled", true));
        assertThat(app.call("find 1")).isEqualTo("Product{1,product-1,10} queries=3");

        app.call("save 2 renamed");
        assertThat(beans.getAttribute(FIND_BY_ID, "Evictions")).isEqualTo(1L);

        beans.invoke(FIND_BY_ID, "dropAllEntries", null, null);
        assertThat(app.call("find 1")).as("the entry was dropped").isEqualTo("Product{1,product-1,10} queries=5");
        assertThat(app.call("find 1")).isEqualTo("Product{1,product-1,10} queries=5");

        assertThat(beans.getAttribute(AGENT, "StoreState")).isEqualTo("connected");
        assertThat(beans.getAttribute(AGENT, "ConfigVersion")).isEqualTo(1);
        assertThat(beans.getAttribute(AGENT, "ConfigFile")).isEqualTo(config.toAbsolutePath().toString());
        assertThat(app.log()).contains("[cache-agent] JMX: com.acme.shop.ProductRepository#findById(long) switched off until the"
            + " configuration file changes");
      }
    }
  }

  @Test
  void statsCommand_printsThePerMethodTableOfARunningJvm(RedisEndpoint redis) throws Exception {
    Path config = Configs.write(dir, "shop.yaml", Configs.shop(redis.uri(), "stats-" + UUID.randomUUID()));
    try (AppProcess app = AppProcess.shop(config)) {
      app.awaitAgentReady(true);
      app.call("find 1");
      app.call("find 1");
      app.call("find 2");
      // No wait: stats makes the platform MBean server, and the agent registers its methods before itself.

      String output = AppProcess.runToEnd(List.of(AppProcess.attachJava(), "-jar", AppProcess.agentJar(), "stats", String.valueOf(app.pid())));

      assertThat(output).contains("JVM " + app.pid() + ": store redis " + redis.uri() + " (command timeout 500ms), connected;"
          + " configuration " + config.toAbsolutePath() + ", version 1");
      assertThat(output).containsPattern("com\\.acme\\.shop\\.ProductRepository#findById\\(long\\) +true +1 +0 +2 +33\\.3% +0 +0 +0 +0 ");
    }
  }

  private static JMXConnector connect(AppProcess app) throws Exception {
    VirtualMachine vm = VirtualMachine.attach(String.valueOf(app.pid()));
    try {
      return JMXConnectorFactory.connect(new JMXServiceURL(vm.startLocalManagementAgent()));
    } finally {
      vm.detach();
    }
  }

  private static void awaitRegistered(MBeanServerConnection beans, ObjectName name) throws Exception {
    for (int i = 0; i < 100 && !beans.isRegistered(name); i++) {
      Thread.sleep(50);
    }
    assertThat(beans.isRegistered(name)).as(name + " registered").isTrue();
  }

  private static ObjectName name(String text) {
    try {
      return new ObjectName(text);
    } catch (javax.management.MalformedObjectNameException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
