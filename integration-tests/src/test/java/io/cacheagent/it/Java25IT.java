package io.cacheagent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cacheagent.testkit.RedisEndpoint;
import io.cacheagent.testkit.RedisExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real agent jar on Java 25 (the JDK named by {@code -Djava25.home}, default the Temurin 25
 * of the project's machines; skipped where there is none): caching, eviction, and a cached method
 * called from 200 virtual threads at once.
 */
@ExtendWith(RedisExtension.class)
class Java25IT {

  private static final Path JAVA_25 = Path.of(System.getProperty("java25.home", "/usr/lib/jvm/temurin-25-jdk-amd64"));

  @TempDir
  Path dir;

  private AppProcess shopOnJava25(RedisEndpoint redis, String... jvmOptions) throws Exception {
    assumeTrue(Files.isExecutable(JAVA_25.resolve("bin").resolve("java")), "no Java 25 at " + JAVA_25);
    Path config = Configs.write(dir, "shop.yaml", Configs.shop(redis.uri(), "java25-" + UUID.randomUUID()));
    AppProcess app = AppProcess.start(JAVA_25, config, List.of(jvmOptions), AppProcess.appClassPath(), "com.acme.shop.ShopApp", Map.of());
    app.awaitAgentReady(true);
    return app;
  }

  @Test
  void onJava25_cachesAndEvicts(RedisEndpoint redis) throws Exception {
    try (AppProcess app = shopOnJava25(redis)) {
      assertThat(app.call("find 1")).isEqualTo("Product{1,product-1,10} queries=1");
      assertThat(app.call("find 1")).isEqualTo("Product{1,product-1,10} queries=1");
      assertThat(app.call("save 1 renamed")).isEqualTo("saved queries=2");
      assertThat(app.call("find 1")).isEqualTo("Product{1,renamed,1} queries=3");
      assertThat(app.log()).doesNotContain("could not start", "cannot instrument", "Exception");
    }
  }

  @Test
  void onJava25_200VirtualThreadsMissingOneKey_runTheMethodOnce_withoutDeadlock(RedisEndpoint redis) throws Exception {
    try (AppProcess app = shopOnJava25(redis)) {
      assertThat(app.call("vburst 200 3")).isEqualTo("200 answers [Product{3,product-3,30}] queries=1");
      assertThat(app.call("vburst 200 3")).isEqualTo("200 answers [Product{3,product-3,30}] queries=1");
    }
  }

  /**
   * Java Flight Recorder's jdk.VirtualThreadPinned events, with no threshold, recorded after a
   * warm-up over a burst that misses and one that hits: none. (The warm-up itself pins a few times,
   * always while a class loads or initializes, which no Java code can avoid: Kryo's first
   * instantiator, the JDK's LockSupport. The recorder does see pinning: a virtual thread sleeping in
   * a static initializer was recorded while this test was written.)
   */
  @Test
  void onJava25_virtualThreadsCallingCachedMethods_areNotPinnedOnceWarm(RedisEndpoint redis) throws Exception {
    Path recording = dir.resolve("pins.jfr");
    try (AppProcess app = shopOnJava25(redis)) {
      app.call("vburst 200 3");
      app.call("vburst 200 3");
      tool("jcmd", String.valueOf(app.pid()), "JFR.start", "name=pins", "jdk.VirtualThreadPinned#threshold=0ms");

      assertThat(app.call("vburst 200 4")).isEqualTo("200 answers [Product{4,product-4,40}] queries=2");
      assertThat(app.call("vburst 200 4")).isEqualTo("200 answers [Product{4,product-4,40}] queries=2");

      tool("jcmd", String.valueOf(app.pid()), "JFR.stop", "name=pins", "filename=" + recording);
    }
    assertThat(tool("jfr", "summary", recording.toString())).containsPattern("jdk.VirtualThreadPinned\\s+0\\s");
    assertThat(tool("jfr", "print", "--events", "jdk.VirtualThreadPinned", recording.toString())).isBlank();
  }

  /** Runs a tool of the Java 25 JDK and returns what it printed. */
  private static String tool(String name, String... arguments) throws Exception {
    List<String> command = new ArrayList<>(List.of(JAVA_25.resolve("bin").resolve(name).toString()));
    command.addAll(List.of(arguments));
    return AppProcess.runToEnd(command);
  }
}
