package io.cacheagent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.cacheagent.testkit.RedisEndpoint;
import io.cacheagent.testkit.RedisExtension;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's libraries never meet the application's: an app with its own older Netty, Lettuce,
 * Kryo, SnakeYAML and Byte Buddy keeps using them while the agent caches its methods with its own.
 */
@ExtendWith(RedisExtension.class)
class IsolationIT {

  @TempDir
  Path dir;

  @Test
  void agentJar_exposesOnlyItsLauncherAndBridgeAsClasses() throws Exception {
    List<String> outside = new ArrayList<>();
    List<String> visibleClasses = new ArrayList<>();
    try (JarFile jar = new JarFile(AppProcess.agentJar())) {
      for (JarEntry entry : Collections.list(jar.entries())) {
        String name = entry.getName();
        if (!name.startsWith("io/cacheagent/") && !name.startsWith("META-INF/") && !name.equals("io/")) {
          outside.add(name);
        }
        if (name.endsWith(".class")) {
          visibleClasses.add(name);
        }
      }
    }

    assertThat(outside).isEmpty();
    assertThat(visibleClasses).allMatch(name -> name.startsWith("io/cacheagent/bootstrap/")
        || name.matches("io/cacheagent/[A-Za-z$]+\\.class"));
    assertThat(visibleClasses).contains("io/cacheagent/CacheAgent.class", "io/cacheagent/bootstrap/CacheBridge.class");
  }

  @Test
  void appWithOwnOlderLibraries_keepsThem_andIsCached(RedisEndpoint redis) throws Exception {
    String classpath = compileLegacyApp();
    Path config = Configs.write(dir, "legacy.yaml", """
        redis:
          uri: %s
          keyPrefix: legacy-%d
          commandTimeout: 500ms
        methods:
          - method: com.acme.legacy.LegacyApp#lookup(String)
        """.formatted(redis.uri(), System.nanoTime()));

    try (AppProcess app = AppProcess.start(config, List.of("-Dlegacy.redis=" + redis.uri()), classpath, "com.acme.legacy.LegacyApp", Map.of())) {
      app.awaitAgentReady(true);
      String libs = app.nextLine();
      String uses = app.nextLine();

      assertThat(libs).isEqualTo("libs kryo-4.0.3.jar snakeyaml-1.33.jar byte-buddy-1.12.19.jar "
          + "lettuce-core-6.1.10.RELEASE.jar netty-common-4.1.100.Final.jar");
      assertThat(uses).isEqualTo("uses kryo-value {answer=42} com.acme.legacy.Generated lettuce-value");
      assertThat(app.call("lookup shoes")).isEqualTo("SHOES computations=1");
      assertThat(app.call("lookup shoes")).isEqualTo("SHOES computations=1");
      for (String agentClass : new String[] {"io.cacheagent.runtime.CacheRuntime",
          "io.cacheagent.shaded.bytebuddy.ByteBuddy", "io.cacheagent.shaded.lettuce.core.RedisClient",
          "io.cacheagent.shaded.netty.util.Version"}) {
        assertThat(app.call("load " + agentClass)).isEqualTo("hidden " + agentClass);
      }
      assertThat(app.log()).doesNotContain("Exception", "SLF4J");
    }
  }

  private String compileLegacyApp() throws Exception {
    Path libs = Path.of(System.getProperty("legacy.libs"));
    List<String> jars;
    try (Stream<Path> files = Files.list(libs)) {
      jars = files.map(Path::toString).filter(p -> p.endsWith(".jar")).sorted().toList();
    }
    Path source = Path.of(getClass().getResource("/legacy-app/com/acme/legacy/LegacyApp.java").toURI());
    Path classes = dir.resolve("legacy-classes");
    String libraryPath = String.join(File.pathSeparator, jars);
    Javac.compile(classes, libraryPath, List.of(source));
    return classes + File.pathSeparator + libraryPath;
  }
}
