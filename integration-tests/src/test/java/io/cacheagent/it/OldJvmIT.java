package io.cacheagent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.cacheagent.testkit.RedisEndpoint;
import io.cacheagent.testkit.RedisExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The agent jar on real Java 8 and 11 JVMs. Java 11 it serves like any later one; Java 8 it does not
 * serve yet, and adding it to such a service must never take the service down: the refusal is one
 * line and the application runs exactly as without the agent. The JVMs come from Debian's packages
 * ({@code .ci/old-jdks}, which {@code .ci/run} runs; {@code -Dold.jdks} says where they are).
 */
@ExtendWith(RedisExtension.class)
class OldJvmIT {

  private static final String APP = "com.acme.inventory.InventoryApp";

  @TempDir
  Path dir;

  private Path classes;
  private Path config;

  @BeforeEach
  void compileTheAppForJava8(RedisEndpoint redis) throws Exception {
    classes = dir.resolve("classes");
    Javac.compileResources("/old-jvm-app", classes, null, List.of("--release", "8"));
    config = Configs.write(dir, "inventory.yaml", """
        redis:
          uri: %s
          keyPrefix: old-jvm-%s
        methods:
          - method: com.acme.inventory.InventoryApp#stockOf(long)
            ttl: 10m
        """.formatted(redis.uri(), UUID.randomUUID()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"this pass", "java11"})
  void onJava11AndLater_theAppIsCached(String jdk) throws Exception {
    Path home = jdk.equals("java11") ? oldJdk(jdk) : AppProcess.javaHome();
    try (AppProcess app = AppProcess.start(home, config, List.of(), classes.toString(), APP, Map.of())) {
      app.awaitAgentReady(true);
      assertThat(app.call("stock 4")).endsWith("queries=1");
      assertThat(app.call("stock 4")).as("served from the cache").endsWith("queries=1");
    }
  }

  @Test
  void withTheAgent_java8PrintsOneLine_andTheApplicationRunsAsWithoutIt() throws Exception {
    Path home = oldJdk("java8");
    try (AppProcess app = AppProcess.start(home, config, List.of(), classes.toString(), APP, Map.of())) {
      assertThat(app.call("stock 4")).startsWith("stock=40 on java 1.8.0_").endsWith("queries=1");
      assertThat(app.call("stock 4")).as("nothing cached").endsWith("queries=2");
      app.send("quit");
      assertThat(app.waitForExit()).isZero();
      assertThat(agentLines(app.log())).containsExactly("[cache-agent] needs Java 11 or later; this JVM is Java 8 ("
          + home.toRealPath() + "); the application runs without caching");
    }
  }

  @Test
  void theCommands_onJava8_sayWhatTheyNeed_withExitCode2() throws Exception {
    Path home = oldJdk("java8");
    AppProcess.Ended check = AppProcess.run(List.of(home.resolve("bin/java").toString(), "-jar", AppProcess.agentJar(),
        "check", config.toString()));
    assertThat(check.exitCode()).isEqualTo(2);
    assertThat(check.output().strip())
        .isEqualTo("[cache-agent] needs Java 11 or later; this JVM is Java 8 (" + home.toRealPath() + ")");
  }

  @Test
  void attach_toAJava8Jvm_refusesBeforeLoadingAnything_andTheJvmRunsOn() throws Exception {
    Path home = oldJdk("java8");
    try (AppProcess app = AppProcess.start(home, null, List.of(), classes.toString(), APP, Map.of())) {
      assertThat(app.call("stock 2")).endsWith("queries=1"); // running, its class loaded

      AppProcess.Ended attach = AppProcess.run(List.of(AppProcess.java(), "-jar", AppProcess.agentJar(), "attach",
          String.valueOf(app.pid()), config.toString()));

      assertThat(attach.exitCode()).as(attach.output()).isEqualTo(1);
      assertThat(attach.output().strip()).isEqualTo("JVM " + app.pid() + " runs Java 8 (" + home.toRealPath()
          + "); cache-agent needs Java 11 or later, so nothing was attached and the application runs as before");
      assertThat(app.call("stock 2")).endsWith("queries=2");
      assertThat(agentLines(app.log())).isEmpty();
    }
  }

  /** The lines the agent printed: each starts with its prefix. */
  private static List<String> agentLines(String log) {
    return log.lines().filter(line -> line.startsWith("[cache-agent]")).toList();
  }

  /**
   * The Java home of {@code name} ({@code java8}, {@code java11}) under {@code -Dold.jdks}. Where
   * they are not installed the tests are skipped with the command that installs them; {@code
   * .ci/run} installs them, so CI always runs these tests.
   */
  private static Path oldJdk(String name) {
    Path home = Path.of(System.getProperty("old.jdks", "target/no-old-jdks")).resolve(name);
    if (!Files.isExecutable(home.resolve("bin/java"))) {
      if (System.getenv("CI") != null) {
        fail("no " + name + " at " + home + "; .ci/run installs it with .ci/old-jdks");
      }
      Assumptions.abort("no " + name + " at " + home + "; run .ci/old-jdks to install Java 8 and 11 for this test");
    }
    return home;
  }
}
