package io.cacheagent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.cacheagent.testkit.RedisEndpoint;
import io.cacheagent.testkit.RedisExtension;
import java.io.DataInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The agent jar on real Java 8 and 11 JVMs, the JVMs of many legacy services: it serves them as it
 * serves later ones, with -javaagent: and with attach. The JVMs come from Debian's packages
 * ({@code .ci/old-jdks}, which {@code .ci/run} runs; {@code -Dold.jdks} says where they are). The
 * shop's suites run on Java 8 and 11 in passes of their own (see the pom); this test keeps one small
 * application and the commands on each.
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
  @ValueSource(strings = {"java8", "java11", "this pass"})
  void withTheAgent_theAppIsCached(String jdk) throws Exception {
    Path home = jdk.equals("this pass") ? AppProcess.javaHome() : oldJdk(jdk);
    try (AppProcess app = AppProcess.start(home, config, List.of(), classes.toString(), APP, Map.of())) {
      app.awaitAgentReady(true);
      assertThat(app.call("stock 4")).endsWith("queries=1");
      assertThat(app.call("stock 4")).as("served from the cache").endsWith("queries=1");
      app.send("quit");
      assertThat(app.waitForExit()).isZero();
      assertThat(app.log()).as("nothing but the agent's own lines on standard error")
          .doesNotContain("WARNING", "Exception", "Illegal reflective access");
    }
  }

  @Test
  void check_onJava8_findsTheMethod() throws Exception {
    AppProcess.Ended check = AppProcess.run(List.of(oldJdk("java8").resolve("bin/java").toString(), "-jar",
        AppProcess.agentJar(), "check", config.toString(), classes.toString()));
    assertThat(check.exitCode()).as(check.output()).isZero();
    assertThat(check.output()).contains("inventory.yaml: 1 signature, ");
  }

  @Test
  void attach_toAJava8Jvm_cachesFromThen_andStatsReadsIt() throws Exception {
    try (AppProcess app = AppProcess.start(oldJdk("java8"), null, List.of(), classes.toString(), APP, Map.of())) {
      assertThat(app.call("stock 2")).endsWith("queries=1"); // running, its class loaded

      AppProcess.Ended attach = AppProcess.run(List.of(AppProcess.attachJava(), "-jar", AppProcess.agentJar(), "attach",
          String.valueOf(app.pid()), config.toString()));

      assertThat(attach.exitCode()).as(attach.output()).isZero();
      assertThat(attach.output()).contains("attached cache-agent to JVM " + app.pid());
      assertThat(app.call("stock 2")).endsWith("queries=2");
      assertThat(app.call("stock 2")).as("served from the cache").endsWith("queries=2");

      AppProcess.Ended stats = AppProcess.run(List.of(AppProcess.attachJava(), "-jar", AppProcess.agentJar(), "stats",
          String.valueOf(app.pid())));
      assertThat(stats.exitCode()).as(stats.output()).isZero();
      assertThat(stats.output()).contains("com.acme.inventory.InventoryApp#stockOf(long)");
    }
  }

  @Test
  void attachCommand_runOnJava8_saysItNeedsJava9() throws Exception {
    AppProcess.Ended attach = AppProcess.run(List.of(oldJdk("java8").resolve("bin/java").toString(), "-jar",
        AppProcess.agentJar(), "attach", "1", config.toString()));
    assertThat(attach.exitCode()).isEqualTo(1);
    assertThat(attach.output()).contains("this command runs on Java 9 or later (the JVM it attaches to may run Java 8)");
  }

  /**
   * Every class in the jar users get runs on Java 8, the agent's and its libraries' alike (a library
   * update past Java 8 would otherwise show only where a Java 8 JVM is installed): class files of
   * major version 52 or lower, Caffeine 3 excepted, which Java 8 replaces with Caffeine 2.9.
   */
  @Test
  void everyClassInTheAgentJar_runsOnJava8() throws Exception {
    List<String> newer = new ArrayList<>();
    Set<String> java8Copies = new HashSet<>();
    int classes = 0;
    try (JarFile jar = new JarFile(AppProcess.agentJar())) {
      for (JarEntry entry : java.util.Collections.list(jar.entries())) {
        String name = entry.getName();
        if (!name.endsWith(".class") && !name.endsWith(".classdata")) {
          continue;
        }
        classes++;
        int major;
        try (DataInputStream in = new DataInputStream(jar.getInputStream(entry))) {
          assertThat(in.readInt()).as(name).isEqualTo(0xCAFEBABE);
          in.readUnsignedShort();
          major = in.readUnsignedShort();
        }
        if (name.startsWith("io/cacheagent/inst-java8/")) {
          assertThat(major).as(name).isLessThanOrEqualTo(52);
          java8Copies.add(name.substring("io/cacheagent/inst-java8/".length()));
        } else if (major > 52) {
          newer.add(name.replaceFirst("^io/cacheagent/inst/", ""));
        }
      }
    }
    assertThat(classes).isGreaterThan(1000);
    assertThat(newer).as("classes newer than Java 8").isNotEmpty()
        .allSatisfy(name -> assertThat(name).startsWith("io/cacheagent/shaded/caffeine/"));
    // Caffeine 2.9, whole, for Java 8: the classes the agent names (the java8 pass runs the rest)
    assertThat(java8Copies).as("Caffeine for Java 8").hasSizeGreaterThan(500).contains(
        "io/cacheagent/shaded/caffeine/cache/Caffeine.classdata", "io/cacheagent/shaded/caffeine/cache/Cache.classdata",
        "io/cacheagent/shaded/caffeine/cache/Expiry.classdata", "io/cacheagent/shaded/caffeine/cache/Policy.classdata");
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
