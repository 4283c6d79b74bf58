package io.cacheagent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * The class every JVM reads first from the jar users get: Java 8 bytecode, so that a JVM older
 * than the agent needs loads it and is refused politely rather than aborting (OldJvmIT runs that
 * refusal on Java 8 and 11).
 */
class LauncherIT {

  @Test
  void entryClassOfTheAgentJar_isJava8Bytecode() throws Exception {
    try (JarFile jar = new JarFile(AppProcess.agentJar())) {
      Attributes manifest = jar.getManifest().getMainAttributes();
      assertThat(manifest.getValue("Premain-Class")).isEqualTo("io.cacheagent.CacheAgent");
      assertThat(manifest.getValue("Agent-Class")).isEqualTo("io.cacheagent.CacheAgent");
      assertThat(manifest.getValue("Main-Class")).isEqualTo("io.cacheagent.CacheAgent");
      try (DataInputStream in = new DataInputStream(jar.getInputStream(jar.getJarEntry("io/cacheagent/CacheAgent.class")))) {
        assertThat(in.readInt()).isEqualTo(0xCAFEBABE);
        in.readUnsignedShort(); // minor version
        assertThat(in.readUnsignedShort()).as("class file major version of CacheAgent").isEqualTo(52);
      }
    }
  }

  @Test
  void licenseAndNoticeFilesOfTheShippedLibraries_lieWhereReadersLookForThem() throws Exception {
    try (JarFile jar = new JarFile(AppProcess.agentJar())) {
      assertThat(text(jar, "META-INF/LICENSE")).as("META-INF/LICENSE")
          .contains("Apache License") // Byte Buddy's, among others
          .contains("Copyright (c) 2023-Present, Redis Ltd."); // Lettuce's MIT license
      assertThat(text(jar, "META-INF/LICENSE.txt")).as("META-INF/LICENSE.txt").contains("QOS.ch"); // SLF4J's
      assertThat(text(jar, "META-INF/NOTICE")).as("META-INF/NOTICE").contains("Rafael Winterhalter").contains("Objenesis");
      assertThat(jar.getJarEntry("io/cacheagent/inst/META-INF/LICENSE")).as("hidden with the isolated classes").isNull();
    }
  }

  @Test
  void versionAndHelp_answerOnStandardOutput_withExitCodeZero() throws Exception {
    AppProcess.Ended version = run("--version");
    assertThat(version.exitCode()).as(version.output()).isZero();
    assertThat(version.output().strip()).matches("cache-agent \\d+\\.\\d+\\.\\d+\\S* \\(commit ([0-9a-f]{12}|unknown)\\)");

    AppProcess.Ended help = run("--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.output()).startsWith("usage: java -jar cache-agent.jar attach").contains("--version");
  }

  private static String text(JarFile jar, String name) throws Exception {
    assertThat(jar.getJarEntry(name)).as(name).isNotNull();
    try (var in = jar.getInputStream(jar.getJarEntry(name))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Runs the agent jar's command line; standard error is left out of the output. */
  private static AppProcess.Ended run(String argument) throws Exception {
    return AppProcess.runStandardOutput(List.of(AppProcess.java(), "-jar", AppProcess.agentJar(), argument));
  }
}
