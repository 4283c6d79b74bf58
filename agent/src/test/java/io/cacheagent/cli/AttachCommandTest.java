package io.cacheagent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cacheagent.CacheAgent;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class AttachCommandTest {

  @Test
  void oldestJava_isTheLaunchers() {
    assertThat(AttachCommand.OLDEST_JAVA).isEqualTo(CacheAgent.NEEDS_JAVA);
  }

  @Test
  void tooOld_java8IsNamedWithItsHome_java11AndLaterAndUnknownFormatsAreServed() {
    assertThat(AttachCommand.tooOld(target("1.8", "/usr/lib/jvm/java-8/jre"))).isEqualTo("Java 8 (/usr/lib/jvm/java-8/jre)");
    assertThat(AttachCommand.tooOld(target("11", "/opt/jdk-11"))).isNull();
    assertThat(AttachCommand.tooOld(target("17", "/jdk"))).isNull();
    assertThat(AttachCommand.tooOld(target("25", "/jdk"))).isNull();
    assertThat(AttachCommand.tooOld(target("26-ea", "/jdk"))).isNull();
  }

  private static Properties target(String specificationVersion, String javaHome) {
    Properties properties = new Properties();
    properties.setProperty("java.specification.version", specificationVersion);
    properties.setProperty("java.home", javaHome);
    return properties;
  }
}
