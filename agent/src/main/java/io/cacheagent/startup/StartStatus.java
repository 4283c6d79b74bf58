package io.cacheagent.startup;

/**
 * How the agent's start went, published as the system property {@value #PROPERTY} of the JVM it
 * runs in, so that {@code java -jar cache-agent.jar attach} can read it from outside (through the
 * Attach API's view of the target's system properties) and report it with a matching exit code.
 *
 * <p>Values: {@code starting}; {@code ready: <the ready line>}; {@code refused: <the configuration
 * errors, one per line>}; {@code failed: <why>}.
 */
public final class StartStatus {

  /** The system property that holds the status. */
  public static final String PROPERTY = "cache.agent.status";

  private StartStatus() {}

  static void starting() {
    set("starting");
  }

  static void ready(String readyLine) {
    set("ready: " + readyLine);
  }

  static void refused(String errors) {
    set("refused: " + errors);
  }

  static void failed(String why) {
    set("failed: " + why);
  }

  private static void set(String value) {
    try {
      System.setProperty(PROPERTY, value);
    } catch (RuntimeException e) {
      // a security manager that forbids it: attach then reports no verdict
    }
  }
}
