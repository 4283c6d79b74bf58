package io.cacheagent;

import java.io.File;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.net.URISyntaxException;
import java.util.jar.JarFile;

/**
 * Entry point of {@code cache-agent.jar}: {@code -javaagent:cache-agent.jar=config.yaml}.
 *
 * <p>This class is loaded by the application's system class loader, so it uses {@code java.*}
 * only. It puts the jar on the bootstrap class path (for the small bridge that advice calls),
 * creates the isolated class loader that holds everything else, and hands over to the installer
 * there. It must not mention the bridge classes: the verifier would load them before they are on
 * the bootstrap path.
 */
public final class CacheAgent {

  private static final String INSTALLER = "io.cacheagent.runtime.AgentInstaller";
  private static final String COMMAND = "io.cacheagent.ops.Command";

  private CacheAgent() {}

  /** {@code java -jar cache-agent.jar attach|check|stats ...}: the commands, run inside the isolated class loader. */
  public static void main(String[] args) throws Exception {
    File agentJar = agentJar();
    IsolatedClassLoader.checkIsAgentJar(agentJar);
    Object code = Class.forName(COMMAND, true, new IsolatedClassLoader(agentJar))
        .getMethod("run", String[].class, java.io.PrintStream.class, java.io.PrintStream.class, File.class)
        .invoke(null, args, System.out, System.err, agentJar);
    System.exit((Integer) code);
  }

  /** Called by the JVM for {@code -javaagent:}; never throws unless strict mode asks it to. */
  public static void premain(String agentArgs, Instrumentation instrumentation) {
    start(agentArgs, instrumentation);
  }

  /** Called by the JVM when the agent is attached to a running JVM. */
  public static void agentmain(String agentArgs, Instrumentation instrumentation) {
    start(agentArgs, instrumentation);
  }

  private static void start(String agentArgs, Instrumentation instrumentation) {
    try {
      File agentJar = agentJar();
      IsolatedClassLoader.checkIsAgentJar(agentJar);
      instrumentation.appendToBootstrapClassLoaderSearch(new JarFile(agentJar));
      ClassLoader isolated = new IsolatedClassLoader(agentJar);
      Class.forName(INSTALLER, true, isolated)
          .getMethod("install", Instrumentation.class, String.class, File.class)
          .invoke(null, instrumentation, agentArgs, agentJar);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (Boolean.getBoolean("cache.agent.strict")) {
        // Strict mode: the operator asked for a failed start rather than an uncached one.
        throw new IllegalStateException("[cache-agent] " + cause.getMessage(), cause);
      }
      report(cause);
    } catch (Throwable t) {
      if (Boolean.getBoolean("cache.agent.strict")) {
        throw new IllegalStateException("[cache-agent] could not start: " + t, t);
      }
      report(t);
    }
  }

  private static void report(Throwable t) {
    System.err.println(
        "[cache-agent] could not start (" + t + "); the application runs without caching");
  }

  private static File agentJar() throws URISyntaxException {
    return new File(
        CacheAgent.class.getProtectionDomain().getCodeSource().getLocation().toURI());
  }
}
