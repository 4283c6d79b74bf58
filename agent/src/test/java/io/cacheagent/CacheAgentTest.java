package io.cacheagent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class CacheAgentTest {

  @Test
  void tooOld_java8_isRefusedWithOneLineNamingTheJavaNeeded() {
    assertThat(CacheAgent.tooOld("1.8", "/usr/lib/jvm/java-8"))
        .isEqualTo("[cache-agent] needs Java 11 or later; this JVM is Java 8 (/usr/lib/jvm/java-8)");
    assertThat(CacheAgent.tooOld("1.7", "/opt/jdk-7"))
        .isEqualTo("[cache-agent] needs Java 11 or later; this JVM is Java 7 (/opt/jdk-7)");
  }

  @Test
  void tooOld_java11AndLater_andUnknownFormats_areServed() {
    assertThat(CacheAgent.tooOld("11", "/jdk")).isNull();
    assertThat(CacheAgent.tooOld("17", "/jdk")).isNull();
    assertThat(CacheAgent.tooOld("25", "/jdk")).isNull();
    assertThat(CacheAgent.tooOld("26-ea", "/jdk")).isNull();
  }

  @Test
  void launcherClassFile_isJava8() throws Exception {
    try (InputStream in = CacheAgent.class.getResourceAsStream("CacheAgent.class")) {
      DataInputStream data = new DataInputStream(in);
      assertThat(data.readInt()).isEqualTo(0xCAFEBABE);
      data.readUnsignedShort(); // minor
      assertThat(data.readUnsignedShort()).as("class file major version").isEqualTo(52);
    }
  }
}
