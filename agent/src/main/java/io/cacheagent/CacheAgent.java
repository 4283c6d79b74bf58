package io.cacheagent;

import java.lang.instrument.Instrumentation;

/**
 * Entry point of {@code cache-agent.jar}: {@code -javaagent:cache-agent.jar=config.yaml}, an
 * attach, or {@code java -jar cache-agent.jar attach|check|stats ...}.
 *
 * <p>Compiled, as the whole agent is, for Java 8 (class file version 52), so that every JVM from
 * Java 8 on can load it: a JVM that cannot load its agent's {@code premain} class aborts, and
 * adding the agent must never take an application down.
 */
public final class CacheAgent {

  private CacheAgent() {}

  /** The commands. */
  public static void main(String[] args) throws Exception {
    Launcher.main(args);
  }

  /** Called by the JVM for {@code -javaagent:}; never throws. */
  public static void premain(String agentArgs, Instrumentation instrumentation) {
    start(agentArgs, instrumentation, true);
  }

  /** Called by the JVM when the agent is attached to a running JVM; never throws. */
  public static void agentmain(String agentArgs, Instrumentation instrumentation) {
    start(agentArgs, instrumentation, false);
  }

  private static void start(String agentArgs, Instrumentation instrumentation, boolean atLaunch) {
    try {
      Launcher.start(agentArgs, instrumentation, atLaunch);
    } catch (Throwable t) {
      // Launcher.start never throws; this is a broken jar or an exhausted JVM.
      System.err.println("[cache-agent] could not start (" + t + "); the application runs without caching");
    }
  }
}
