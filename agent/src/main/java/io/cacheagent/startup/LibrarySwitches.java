package io.cacheagent.startup;

import io.cacheagent.jdk.Immutable;
import java.util.Map;
import net.bytebuddy.dynamic.Nexus;

/**
 * Features of the agent's libraries that it turns off before any of them loads: each would cost
 * the application's start CPU and leave something in its JVM, for nothing the agent uses. Each is
 * a system property that its library reads once. Shading relocates these names with the libraries
 * ({@code io.cacheagent.shaded.lettuce.core.jfr}, ...), so an application's own Byte Buddy, Lettuce
 * or Netty is not affected.
 */
final class LibrarySwitches {

  static final Map<String, String> OFF = Immutable.mapOf(
      // An AgentBuilder would define Byte Buddy's Nexus class in the application's system class
      // loader as it is built (some 150 ms of CPU), for an initialization strategy that
      // disableClassFormatChanges() replaces.
      Nexus.PROPERTY, "true",
      // Lettuce's first connection event and Netty's first buffer chunk would each register an
      // event type with Flight Recorder, which initializes it in the application's JVM (some 90 ms).
      "io.lettuce.core.jfr", "false",
      "io.netty.jfr.enabled", "false");

  private LibrarySwitches() {}

  /**
   * Sets the switches not already set (an operator may turn one back on with its relocated name);
   * called in premain, before any of the agent's threads starts.
   */
  static void apply() {
    OFF.forEach((name, value) -> {
      if (System.getProperty(name) == null) {
        System.setProperty(name, value);
      }
    });
  }
}
