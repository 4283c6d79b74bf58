package io.cacheagent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class CacheAgentTest {

  /** Every JVM from Java 8 on must be able to load the agent: one that cannot load its premain class aborts. */
  @Test
  void everyClassOfTheAgent_isJava8() throws Exception {
    Path classes = Path.of(CacheAgent.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<String> newer;
    try (Stream<Path> files = Files.walk(classes)) {
      newer = files.filter(file -> file.toString().endsWith(".class"))
          .filter(file -> majorVersion(file) != 52)
          .map(file -> classes.relativize(file) + " (" + majorVersion(file) + ")")
          .collect(Collectors.toList());
    }
    assertThat(classes.resolve("io/cacheagent/CacheAgent.class")).exists();
    assertThat(newer).as("class files newer than Java 8 (major version 52)").isEmpty();
  }

  private static int majorVersion(Path classFile) {
    try (InputStream in = Files.newInputStream(classFile)) {
      DataInputStream data = new DataInputStream(in);
      assertThat(data.readInt()).isEqualTo(0xCAFEBABE);
      data.readUnsignedShort(); // minor
      return data.readUnsignedShort();
    } catch (IOException e) {
      throw new IllegalStateException(classFile.toString(), e);
    }
  }
}
