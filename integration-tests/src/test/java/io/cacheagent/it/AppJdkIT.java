package io.cacheagent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The apps of this suite run on the JDK that the pass names ({@code -Dapp.java.home}): 17 in the
 * first pass, 25 in the second, with the agent in them.
 */
class AppJdkIT {

  @TempDir
  Path dir;

  @Test
  void appsRunOnTheJdkOfThisPass() throws Exception {
    Matcher release = Pattern.compile("JAVA_VERSION=\"(\\d+)").matcher(Files.readString(AppProcess.javaHome().resolve("release")));
    assertThat(release.find()).isTrue();
    Path config = Configs.write(dir, "local.yaml", Configs.shop(null, "jdk"));

    try (AppProcess app = AppProcess.shop(config)) {
      app.awaitAgentReady(false);
      assertThat(app.call("jdk")).startsWith("java " + release.group(1) + " ");
    }
  }
}
