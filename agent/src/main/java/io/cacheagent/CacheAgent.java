package io.cacheagent;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;

/**
 * Entry point of {@code cache-agent.jar}: {@code -javaagent:cache-agent.jar=config.yaml}, an
 * attach, or {@code java -jar cache-agent.jar attach|check|stats ...}.
 *
 * <p>Compiled for Java 8 (class file version 52), so that every JVM from Java 8 on can load it: a
 * JVM that cannot load its agent's {@code premain} class aborts, and adding the agent must never
 * take an application down. On a JVM older than the agent needs it prints one line and returns;
 * otherwise it hands over to {@link Launcher}, through reflection, so that no old JVM ever loads
 * (or verifies) a class it cannot read.
 */
public final class CacheAgent {

  /** The oldest Java release whose JVM the agent serves. */
  public static final int NEEDS_JAVA = 11;

  private CacheAgent() {}

  /** The commands; on a JVM too old for them, one line and exit code 2. */
  public static void main(String[] args) throws Exception {
    String tooOld = tooOldHere();
    if (tooOld != null) {
      System.err.println(tooOld);
      System.exit(2);
    }
    try {
      launcher("main", String[].class).invoke(null, (Object) args);
    } catch (InvocationTargetException e) {
      throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
    }
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
      String tooOld = tooOldHere();
      if (tooOld != null) {
        System.err.println(tooOld + "; the application runs without caching");
        return;
      }
      launcher("start", String.class, Instrumentation.class, boolean.class).invoke(null, agentArgs, instrumentation, atLaunch);
    } catch (Throwable t) {
      // Launcher.start never throws; this is a broken jar or an exhausted JVM.
      System.err.println("[cache-agent] could not start (" + t + "); the application runs without caching");
    }
  }

  private static java.lang.reflect.Method launcher(String name, Class<?>... parameterTypes) throws Exception {
    return Class.forName("io.cacheagent.Launcher", true, CacheAgent.class.getClassLoader())
        .getDeclaredMethod(name, parameterTypes);
  }

  /** {@link #tooOld} for the running JVM. */
  private static String tooOldHere() {
    return tooOld(System.getProperty("java.specification.version"), System.getProperty("java.home"));
  }

  /**
   * The line to print on a JVM the agent cannot serve, or {@code null}. {@code specVersion} is the
   * {@code java.specification.version} property: {@code 1.8} up to Java 8, {@code 11} from Java 9.
   */
  static String tooOld(String specVersion, String javaHome) {
    int release;
    try {
      release = Integer.parseInt(specVersion.startsWith("1.") ? specVersion.substring(2) : specVersion);
    } catch (RuntimeException unknown) {
      return null; // a format this launcher does not know is a newer one
    }
    return release >= NEEDS_JAVA ? null
        : "[cache-agent] needs Java " + NEEDS_JAVA + " or later; this JVM is Java " + release + " (" + javaHome + ")";
  }
}
