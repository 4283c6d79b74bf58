package io.cacheagent.ops;

import java.io.PrintStream;

/** The commands of {@code java -jar cache-agent.jar}; only {@code stats} so far. */
public final class Command {

  private static final String USAGE = """
      usage: java -jar cache-agent.jar stats <pid>    the cache's counters in a running JVM
      (to use the agent: java -javaagent:cache-agent.jar=cache-agent.yaml ...)""";

  private Command() {}

  /** Runs the command in {@code args}; returns the exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
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
