package io.cacheagent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.cacheagent.testkit.RedisEndpoint;
import io.cacheagent.testkit.RedisExtension;
import java.util.List;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code java -jar cache-agent.jar attach}: caching added to a JVM that started without the agent. */
@ExtendWith(RedisExtension.class)
class AttachIT {

  @TempDir
  Path dir;

  @Test
  void attach_toARunningJvm_cachesItsAlreadyLoadedClass_andASecondAttachChangesNothing(RedisEndpoint redis) throws Exception {
    Path config = Configs.write(dir, "shop.yaml", Configs.shop(redis.uri(), "attach-" + UUID.randomUUID()));
    try (AppProcess app = AppProcess.shop(null)) {
      assertThat(app.call("find 1")).isEqualTo("Product{1,product-1,10} queries=1"); // ProductRepository is loaded
      assertThat(app.call("find 1")).isEqualTo("Product{1,product-1,10} queries=2");

      String first = attach(app, config);
      assertThat(first).contains("attached cache-agent to JVM " + app.pid() + " with " + config.toAbsolutePath()
          + "; ready: 6 cached methods in 1 class from shop.yaml, store: redis " + redis.uri());
      assertThat(first).as("writes made before were never evicted").contains("note: writes JVM " + app.pid()
          + " made before now were not evicted");
      app.awaitAgentReady(true);

      app.call("find 1");
      assertThat(app.call("find 1")).isEqualTo("Product{1,product-1,10} queries=3");

      Thread.sleep(1_500); // the agent's MXBean, by which the second attach knows it is there
      assertThat(attach(app, config)).startsWith("JVM " + app.pid() + " already runs cache-agent with " + config.toAbsolutePath()
          + "; nothing changed");
      assertThat(app.call("find 1")).isEqualTo("Product{1,product-1,10} queries=3");
    }
  }

  @Test
  void attach_withABadConfig_toAJvmInStrictMode_leavesTheJvmRunning() throws Exception {
    Path bad = Configs.withUnknownKey(dir);
    try (AppProcess app = AppProcess.shop(null, "-Dcache.agent.strict=true")) {
      assertThat(app.call("find 1")).isEqualTo("Product{1,product-1,10} queries=1");

      AppProcess.Ended attach = AppProcess.run(attachCommand(app, bad));
      assertThat(attach.exitCode()).as(attach.output()).isEqualTo(1);
      assertThat(attach.output()).contains("JVM " + app.pid() + " refused " + bad.toAbsolutePath() + ":"
          + System.lineSeparator() + Configs.UNKNOWN_KEY_ERROR + System.lineSeparator() + "1 config error;");

      app.awaitLog("[cache-agent] could not start (the configuration has errors (above)); the application runs without caching");
      assertThat(app.call("find 1")).as("strict mode stops a JVM at launch, never one it is attached to")
          .isEqualTo("Product{1,product-1,10} queries=2");
    }
  }

  @Test
  void attach_withDropEntries_dropsWhatAnotherJvmCached(RedisEndpoint redis) throws Exception {
    Path config = Configs.write(dir, "shop.yaml", Configs.shop(redis.uri(), "attach-drop-" + UUID.randomUUID()));
    try (AppProcess cached = AppProcess.shop(config); AppProcess late = AppProcess.shop(null)) {
      cached.awaitAgentReady(true);
      assertThat(cached.call("find 1")).isEqualTo("Product{1,product-1,10} queries=1");
      assertThat(cached.call("find 1")).as("cached in Redis").isEqualTo("Product{1,product-1,10} queries=1");
      assertThat(late.call("find 1")).isEqualTo("Product{1,product-1,10} queries=1"); // runs without the agent, for now

      String attached = AppProcess.runToEnd(List.of(AppProcess.attachJava(), "-jar", AppProcess.agentJar(), "attach",
          String.valueOf(late.pid()), config.toString(), "--drop-entries"));

      assertThat(attached).contains("dropped every entry of 6 configured cached methods, in every JVM on this Redis");
      assertThat(cached.call("find 1")).as("the other JVM's entry is gone").isEqualTo("Product{1,product-1,10} queries=2");
    }
  }

  private static String attach(AppProcess app, Path config) throws Exception {
    return AppProcess.runToEnd(attachCommand(app, config));
  }

  private static List<String> attachCommand(AppProcess app, Path config) {
    return List.of(AppProcess.attachJava(), "-jar", AppProcess.agentJar(), "attach", String.valueOf(app.pid()), config.toString());
  }
}
