package io.cacheagent.ops;

import java.io.PrintStream;

/** The commands of {@code java -jar cache-agent.jar}: {@code attach}, {@code check} and {@code stats}. */
public final class Command {

  private static final String USAGE = """
      usage: java -jar cache-agent.jar attach <pid> <config.yaml> [--drop-entries]
                                                                          add caching to a running JVM; with
                                                                          --drop-entries, drop what other JVMs
                                                                          cached of the configured methods
             java -jar cache-agent.jar check <config.yaml> <class path>   does every signature match a method?
             java -jar cache-agent.jar stats <pid>                        the cache's counters in a running JVM
      (to use the agent: java -javaagent:cache-agent.jar=cache-agent.yaml ...)""";

  private Command() {}

  /** Runs the command in {@code args}; returns the exit code. {@code agentJar}: this jar, for attach. */
  public static int run(String[] args, PrintStream out, PrintStream err, java.io.File agentJar) {
    boolean drop = args.length == 4 && args[3].equals("--drop-entries");
    if ((args.length == 3 || drop) && args[0].equals("attach")) {
      try {
        return AttachCommand.run(args[1], java.nio.file.Path.of(args[2]), drop, agentJar, out);
      } catch (Exception e) {
        err.println("cannot attach to JVM " + args[1] + ": " + e + " (it must run as the same user, on this machine)");
        return 1;
      }
    }
    return run(args, out, err);
  }

  /** Runs {@code check} or {@code stats}; returns the exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 3 && args[0].equals("check")) {
      try {
        return CheckCommand.run(java.nio.file.Path.of(args[1]), args[2], out);
      } catch (Exception e) {
        err.println("cannot check " + args[1] + " against " + args[2] + ": " + e);
        return 1;
      }
    }
    if (args.length == 2 && args[0].equals("stats")) {
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
}
