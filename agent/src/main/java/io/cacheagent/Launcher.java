package io.cacheagent;

import java.io.File;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.net.URISyntaxException;
import java.util.jar.JarFile;

/**
 * Starts the agent, for {@link CacheAgent}.
 *
 * <p>This class is loaded by the application's system class loader, so it uses {@code java.*}
 * only. It puts the jar on the bootstrap class path (for the small bridge that advice calls),
 * creates the isolated class loader that holds everything else, and hands over to the installer
 * there. It must not mention the bridge classes: the verifier would load them before they are on
 * the bootstrap path.
 */
final class Launcher {

  /** The class that starts the agent inside the isolated class loader; its presence marks the built jar. */
  static final String INSTALLER = "io.cacheagent.startup.AgentInstaller";
  private static final String COMMAND = "io.cacheagent.cli.Command";

  private Launcher() {}

  /** {@code java -jar cache-agent.jar attach|check|stats ...}: the commands, run inside the isolated class loader. */
  static void main(String[] args) throws Exception {
    File agentJar = agentJar();
    IsolatedClassLoader.checkIsAgentJar(agentJar);
    Object code = Class.forName(COMMAND, true, new IsolatedClassLoader(agentJar))
        .getMethod("run", String[].class, java.io.PrintStream.class, java.io.PrintStream.class, File.class)
        .invoke(null, args, System.out, System.err, agentJar);
    System.exit((Integer) code);
  }

  /**
   * Starts the agent for {@code -javaagent:} ({@code atLaunch}) or an attach; never throws. In
   * strict mode an agent that cannot start at launch stops the JVM with exit code {@value
   * #STRICT_EXIT_CODE} (a JVM whose agent throws aborts instead, which crash monitoring takes for a
   * crash); an attach never stops the JVM it was attached to.
   */
  static void start(String agentArgs, Instrumentation instrumentation, boolean atLaunch) {
    try {
      File agentJar = agentJar();
      IsolatedClassLoader.checkIsAgentJar(agentJar);
      instrumentation.appendToBootstrapClassLoaderSearch(new JarFile(agentJar));
      ClassLoader isolated = new IsolatedClassLoader(agentJar);
      Class.forName(INSTALLER, true, isolated)
          .getMethod("install", Instrumentation.class, String.class, File.class)
          .invoke(null, instrumentation, agentArgs, agentJar);
    } catch (InvocationTargetException e) {
      failed(e.getCause(), atLaunch);
    } catch (Throwable t) {
      failed(t, atLaunch);
    }
  }

  /** Exit code of a JVM that strict mode stops. */
  static final int STRICT_EXIT_CODE = 1;

  private static void failed(Throwable t, boolean atLaunch) {
    String reason = t instanceof IllegalStateException ? t.getMessage() : t.toString();
    if (atLaunch && Boolean.getBoolean("cache.agent.strict")) {
      // The operator asked for a failed start rather than an uncached one.
      System.err.println("[cache-agent] strict mode (cache.agent.strict=true): " + reason + "; the JVM exits with code "
          + STRICT_EXIT_CODE);
      System.exit(STRICT_EXIT_CODE);
    }
    System.err.println("[cache-agent] could not start (" + reason + "); the application runs without caching");
  }

  private static File agentJar() throws URISyntaxException {
    return new File(
        Launcher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
  }
}
