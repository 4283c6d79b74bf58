package io.cacheagent.bench.startup;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Start-to-ready of a Spring Boot executable jar without and with the agent, in paired rounds
 * (each round starts both, in alternating order). Ready is Spring Boot's own figure, "process
 * running for N" in its "Started ... in ... seconds" line: JVM launch to the application context
 * being ready. The app is started on a random port and stopped once ready.
 *
 * <p>{@code java -cp benchmarks.jar io.cacheagent.bench.startup.SpringReadyTimes <agent jar> <app jar> <config> <rounds>
 * [application arguments...]} (benchmarks/spring-ready.sh starts a private Redis and passes these).
 */
public final class SpringReadyTimes {

  private static final Pattern READY = Pattern.compile("Started \\S+ in [\\d.]+ seconds \\(process running for ([\\d.]+)\\)");

  /** Passed to the application after {@code --server.port=0}, e.g. to log its "Started" line at info. */
  private static List<String> appArguments = List.of();

  private SpringReadyTimes() {}

  public static void main(String[] args) throws Exception {
    String agentJar = args[0];
    String appJar = args[1];
    String config = args[2];
    int rounds = Integer.parseInt(args[3]);
    appArguments = List.of(args).subList(4, args.length);
    List<String> agent = List.of("-javaagent:" + agentJar + "=" + config);
    double[] without = new double[rounds];
    double[] with = new double[rounds];
    for (int round = 0; round < rounds; round++) {
      if (round % 2 == 0) {
        without[round] = ready(appJar, List.of());
        with[round] = ready(appJar, agent);
      } else {
        with[round] = ready(appJar, agent);
        without[round] = ready(appJar, List.of());
      }
      System.err.print(".");
    }
    System.err.println();
    double[] added = new double[rounds];
    for (int i = 0; i < rounds; i++) {
      added[i] = with[i] - without[i];
    }
    double base = StartupTimes.median(without);
    System.out.printf("%d paired rounds of %s; seconds from launch to ready (Spring Boot's 'process running for')%n",
        rounds, appJar);
    System.out.printf("no agent: median %.2f s %s%n", base, Arrays.toString(without));
    System.out.printf("agent:    median %.2f s %s%n", StartupTimes.median(with), Arrays.toString(with));
    System.out.printf("added:    median %+.2f s (%+.0f%%)%n", StartupTimes.median(added), 100 * StartupTimes.median(added) / base);
  }

  private static double ready(String appJar, List<String> agentOptions) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(agentOptions);
    command.addAll(List.of("-jar", appJar, "--server.port=0"));
    command.addAll(appArguments);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        Matcher m = READY.matcher(line);
        if (m.find()) {
          return Double.parseDouble(m.group(1));
        }
      }
      throw new IllegalStateException("the app ended without its 'Started ...' line: " + command);
    } finally {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }
}
