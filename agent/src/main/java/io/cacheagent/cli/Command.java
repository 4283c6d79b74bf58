package io.cacheagent.cli;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.util.jar.Attributes;
import java.util.jar.JarFile;

/**
 * The commands of {@code java -jar cache-agent.jar}: {@code attach}, {@code check} and {@code stats},
 * and {@code --help} and {@code --version}.
 */
public final class Command {

  private static final String USAGE = "usage: java -jar cache-agent.jar attach <pid> <config.yaml> [--drop-entries]\n"
      + "                                                                    add caching to a running JVM; with\n"
      + "                                                                    --drop-entries, drop what other JVMs\n"
      + "                                                                    cached of the configured methods\n"
      + "       java -jar cache-agent.jar check <config.yaml> <class path>   does every signature match a method?\n"
      + "       java -jar cache-agent.jar stats <pid>                        the cache's counters in a running JVM\n"
      + "       java -jar cache-agent.jar --version                          the version and the commit it was built from\n"
      + "(to use the agent: java -javaagent:cache-agent.jar=cache-agent.yaml ...)";

  /** The manifest attribute naming the commit the jar was built from ({@code unknown} outside a git checkout). */
  static final String COMMIT_ATTRIBUTE = "Build-Commit";

  private Command() {}

  /**
   * Runs the command in {@code args}; returns the exit code. {@code agentJar}: this jar, for attach
   * and for its version.
   */
  public static int run(String[] args, PrintStream out, PrintStream err, File agentJar) {
    if (args.length == 1 && (args[0].equals("--version") || args[0].equals("version"))) {
      return printVersion(agentJar, out, err);
    }
    boolean drop = args.length == 4 && args[3].equals("--drop-entries");
    if ((args.length == 3 || drop) && args[0].equals("attach")) {
      if (cannotAttachHere(err)) {
        return 1;
      }
      try {
        return AttachCommand.run(args[1], java.nio.file.Paths.get(args[2]), drop, agentJar, out);
      } catch (Exception e) {
        err.println("cannot attach to JVM " + args[1] + ": " + e + " (it must run as the same user, on this machine)");
        return 1;
      }
    }
    return run(args, out, err);
  }

  /** Runs {@code check}, {@code stats} or {@code --help}; returns the exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help"))) {
      out.println(USAGE);
      return 0;
    }
    if (args.length == 3 && args[0].equals("check")) {
      try {
        return CheckCommand.run(java.nio.file.Paths.get(args[1]), args[2], out);
      } catch (Exception e) {
        err.println("cannot check " + args[1] + " against " + args[2] + ": " + e);
        return 1;
      }
    }
    if (args.length == 2 && args[0].equals("stats")) {
      if (cannotAttachHere(err)) {
        return 1;
      }
      try {
        return StatsCommand.run(args[1], out);
      } catch (Exception e) {
        err.println("cannot read the cache's counters of JVM " + args[1] + ": " + e
            + " (the JVM must run as the same user, on this machine)");
        return 1;
      }
    }
    err.println(USAGE);
    return 2;
  }

  /** Whether this JVM lacks the Attach API that {@code attach} and {@code stats} use (Java 8); says so on {@code err}. */
  private static boolean cannotAttachHere(PrintStream err) {
    String why = AttachedJvm.unavailableHere();
    if (why != null) {
      err.println(why);
    }
    return why != null;
  }

  /** Prints the version and commit from the jar's manifest, as a bug report needs them. */
  private static int printVersion(File agentJar, PrintStream out, PrintStream err) {
    try (JarFile jar = new JarFile(agentJar, false)) {
      Attributes manifest = jar.getManifest().getMainAttributes();
      String commit = manifest.getValue(COMMIT_ATTRIBUTE);
      out.println("cache-agent " + manifest.getValue(Attributes.Name.IMPLEMENTATION_VERSION)
          + " (commit " + (commit == null ? "unknown" : commit) + ")");
      return 0;
    } catch (IOException | RuntimeException e) {
      err.println("cannot read the version from " + agentJar + ": " + e);
      return 1;
    }
  }
}
