package io.cacheagent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * The class every JVM reads first from the jar users get: Java 8 bytecode, so that a JVM older
 * than the agent needs loads it and is refused politely rather than aborting (see CacheAgentTest
 * for the refusal itself; no JVM older than 17 is available to the build).
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
}
