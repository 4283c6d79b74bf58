package io.cacheagent.cli;

import io.cacheagent.jdk.JavaRuntime;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Properties;

/**
 * Another JVM on this machine, reached through the JDK's Attach API ({@code
 * com.sun.tools.attach.VirtualMachine}). The agent is compiled for Java 8, where that API sits in
 * the JDK's {@code tools.jar}, outside what a program may compile against; from Java 9 on it is
 * the {@code jdk.attach} module. So it is called by reflection, and the commands that need it run
 * on Java 9 or later, while the JVM they attach to may run Java 8.
 */
final class AttachedJvm {

  private static final String API = "com.sun.tools.attach.VirtualMachine";

  private final Object vm;
  private final Class<?> api;

  private AttachedJvm(Object vm, Class<?> api) {
    this.vm = vm;
    this.api = api;
  }

  /** Why the commands that attach cannot run on this JVM, or {@code null} if they can. */
  static String unavailableHere() {
    return JavaRuntime.RELEASE >= 9 ? null : "this command runs on Java 9 or later (the JVM it attaches to may run"
        + " Java 8): run it with the java of any JDK 9 or later, e.g. /usr/lib/jvm/<jdk>/bin/java -jar cache-agent.jar ...";
  }

  /** Attaches to the JVM of process {@code pid}; on Java 9 or later only (see {@link #unavailableHere}). */
  static AttachedJvm attach(String pid) throws Exception {
    Class<?> api = Class.forName(API);
    return new AttachedJvm(call(api.getMethod("attach", String.class), null, pid), api);
  }

  Properties systemProperties() throws Exception {
    return (Properties) call(api.getMethod("getSystemProperties"), vm);
  }

  /**
   * Loads the agent {@code jar} there with {@code options}. A Java 8 JVM answers a successful load
   * with a bare {@code 0}, which the Attach API of Java 9 and later reads as a failure ({@code
   * AgentLoadException: 0}); that answer is taken for what it is. Whether the agent then started is
   * the agent's own verdict, which the caller reads.
   */
  void loadAgent(String jar, String options) throws Exception {
    try {
      call(api.getMethod("loadAgent", String.class, String.class), vm, jar, options);
    } catch (Exception e) {
      if (!(e.getClass().getName().equals("com.sun.tools.attach.AgentLoadException") && "0".equals(e.getMessage())
          && isJava8(e))) {
        throw e;
      }
    }
  }

  /** Whether the JVM runs Java 8; when that cannot be read, {@code failure} is thrown with why. */
  private boolean isJava8(Exception failure) throws Exception {
    try {
      return JavaRuntime.release(systemProperties().getProperty("java.specification.version", "")) == 8;
    } catch (Exception unreadable) {
      failure.addSuppressed(unreadable);
      throw failure;
    }
  }

  /** The address of the JVM's local JMX connector, starting its local management agent if it is not running. */
  String startLocalManagementAgent() throws Exception {
    return (String) call(api.getMethod("startLocalManagementAgent"), vm);
  }

  void detach() throws IOException {
    try {
      call(api.getMethod("detach"), vm);
    } catch (IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException(e);
    }
  }

  /** Calls {@code method}, throwing what it threw. */
  private static Object call(Method method, Object target, Object... args) throws Exception {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      Throwable thrown = e.getCause();
      if (thrown instanceof Exception) {
        throw (Exception) thrown;
      }
      throw (Error) thrown;
    }
  }
}
