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
 * first pass, 25 in the second, 11 and 8 in the passes of the apps compiled for Java 8, with the agent
 * in them.
 */
class AppJdkIT {

  @TempDir
  Path dir;

  @Test
  void appsRunOnTheJdkOfThisPass() throws Exception {
    String expected;
    Path releaseFile = AppProcess.javaHome().resolve("release");
    if (Files.exists(releaseFile)) {
      Matcher release = Pattern.compile("JAVA_VERSION=\"(\\d+)").matcher(Files.readString(releaseFile));
      assertThat(release.find()).isTrue();
      expected = release.group(1);
    } else {
      // Debian's Java 8 runtime has no release file
      assertThat(AppProcess.appsRunJava8()).as(AppProcess.javaHome() + " has neither a release file nor lib/rt.jar").isTrue();
      expected = "8";
    }
    Path config = Configs.write(dir, "local.yaml", Configs.shop(null, "jdk"));

    try (AppProcess app = AppProcess.shop(config)) {
      app.awaitAgentReady(false);
      assertThat(app.call("jdk")).startsWith("java " + expected + " ");
    }
  }
}
