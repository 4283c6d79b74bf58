package io.cacheagent.bench.startup;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Start-up cost of the agent: JVM start to {@code main}, to the return of the first call of a
 * configured method, and to the first call the cache serves, with 1, 20 and 200 configured
 * methods beside no agent, in paired rounds. A last variant runs no app and no agent but Lettuce
 * alone, to its first answer from Redis ({@link LettuceAlone}): the floor under the first cached call (each round runs every variant once, in a rotating
 * order, so drifts of a noisy machine touch all variants alike).
 *
 * <p>The app is generated here: 20 classes of 10 methods each ({@code Shelf0#item0(long)} and so
 * on), compiled with the JDK's compiler. Each run prints {@code System.nanoTime()} at those three
 * points; on Linux that is CLOCK_MONOTONIC, one clock for every process, so it is subtracted from
 * this harness's own reading just before the process starts.
 *
 * <p>{@code java -cp benchmarks.jar io.cacheagent.bench.startup.StartupTimes <agent jar> <redis uri> <rounds>}
 * (benchmarks/startup.sh starts the Redis server and passes these).
 */
public final class StartupTimes {

  private static final int CLASSES = 20;
  private static final int METHODS_PER_CLASS = 10;
  private static final Path WORK = Path.of("benchmarks/target/startup");

  private StartupTimes() {}

  public static void main(String[] args) throws Exception {
    Path agentJar = Path.of(args[0]);
    String redisUri = args[1];
    int rounds = Integer.parseInt(args[2]);
    Path classes = compileApp();

    String app = classes.toString();
    Map<String, Variant> variants = new LinkedHashMap<>();
    variants.put("no agent", new Variant(List.of(), app, "shelf.StartupApp", "false"));
    for (int methods : new int[] {1, 20, 200}) {
      Path config = writeConfig(redisUri, methods);
      variants.put("agent, " + methods + (methods == 1 ? " method" : " methods"),
          new Variant(List.of("-javaagent:" + agentJar + "=" + config), app, "shelf.StartupApp", "true"));
    }
    variants.put("Lettuce alone", new Variant(List.of(), System.getProperty("java.class.path"),
        LettuceAlone.class.getName(), redisUri));

    Map<String, List<Run>> runs = new LinkedHashMap<>();
    variants.keySet().forEach(name -> runs.put(name, new ArrayList<>()));
    List<String> names = new ArrayList<>(variants.keySet());
    for (int round = 0; round < rounds; round++) {
      for (int i = 0; i < names.size(); i++) {
        String name = names.get((round + i) % names.size());
        runs.get(name).add(run(variants.get(name)));
      }
      System.err.print(".");
    }
    System.err.println();
    report(runs, rounds);
  }

  /** One JVM: its three times in milliseconds from just before it started. */
  record Run(double main, double firstCall, double cached) {}

  /** A JVM to start: its options, class path and main class; its arguments are a new id and {@code lastArgument}. */
  record Variant(List<String> jvmOptions, String classPath, String mainClass, String lastArgument) {}

  private static Run run(Variant variant) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(variant.jvmOptions());
    command.addAll(List.of("-cp", variant.classPath(), variant.mainClass(), Long.toString(System.nanoTime()),
        variant.lastArgument()));
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectError(WORK.resolve("last-run.err").toFile());
    long before = System.nanoTime();
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0 || !out.startsWith("main=")) {
      throw new IllegalStateException("run failed (" + command + "): " + out + "; see " + WORK.resolve("last-run.err"));
    }
    Map<String, Long> times = new LinkedHashMap<>();
    for (String pair : out.split(" ")) {
      String[] kv = pair.split("=");
      times.put(kv[0], Long.parseLong(kv[1]));
    }
    long cached = times.get("cached");
    return new Run(millis(times.get("main") - before), millis(times.get("firstCall") - before),
        cached < 0 ? Double.NaN : millis(cached - before));
  }

  private static double millis(long nanos) {
    return nanos / 1e6;
  }

  private static void report(Map<String, List<Run>> runs, int rounds) {
    List<Run> none = runs.get("no agent");
    System.out.printf("%d rounds; medians in ms from just before the JVM starts; 'added' = median of the paired differences"
        + " to the run without agent in the same round%n", rounds);
    System.out.printf("%-20s %8s %8s %12s %12s %14s%n", "variant", "main", "added", "first call", "added", "served cached");
    for (Map.Entry<String, List<Run>> variant : runs.entrySet()) {
      List<Run> list = variant.getValue();
      double[] addedMain = new double[rounds];
      double[] addedFirst = new double[rounds];
      for (int i = 0; i < rounds; i++) {
        addedMain[i] = list.get(i).main() - none.get(i).main();
        addedFirst[i] = list.get(i).firstCall() - none.get(i).firstCall();
      }
      System.out.printf("%-20s %8.0f %8.0f %12.0f %12.0f %14s%n", variant.getKey(),
          median(list.stream().mapToDouble(Run::main).toArray()), median(addedMain),
          median(list.stream().mapToDouble(Run::firstCall).toArray()), median(addedFirst),
          list.stream().allMatch(run -> Double.isNaN(run.cached())) ? "-"
              : String.format("%.0f", median(list.stream().mapToDouble(Run::cached).toArray())));
    }
  }

  /** The median of {@code values}; the mean of the middle two for an even count. */
  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static Path writeConfig(String redisUri, int methods) throws IOException {
    StringBuilder yaml = new StringBuilder("redis:\n  uri: " + redisUri + "\n  keyPrefix: startup\nmethods:\n");
    for (int i = 0; i < methods; i++) {
      yaml.append("  - method: shelf.Shelf").append(i / METHODS_PER_CLASS)
          .append("#item").append(i % METHODS_PER_CLASS).append("(long)\n");
    }
    Path file = WORK.resolve("methods-" + methods + ".yaml");
    Files.writeString(file, yaml);
    return file;
  }

  /** Writes and compiles the app: the shelves, and a main that calls them. */
  private static Path compileApp() throws IOException {
    Path sources = WORK.resolve("src/shelf");
    Path classes = WORK.resolve("classes");
    Files.createDirectories(sources);
    Files.createDirectories(classes);
    List<File> files = new ArrayList<>();
    for (int c = 0; c < CLASSES; c++) {
      StringBuilder shelf = new StringBuilder("package shelf;\n\npublic final class Shelf" + c + " {\n"
          + "  /** Times a body ran: a call that leaves it unchanged was served by the cache. */\n"
          + "  public static volatile int runs;\n");
      for (int m = 0; m < METHODS_PER_CLASS; m++) {
        shelf.append("  public static String item").append(m).append("(long id) { runs++; return \"")
            .append(c).append('-').append(m).append("-\" + id; }\n");
      }
      files.add(write(sources.resolve("Shelf" + c + ".java"), shelf.append("}\n").toString()));
    }
    StringBuilder touchAll = new StringBuilder();
    for (int c = 1; c < CLASSES; c++) {
      touchAll.append("    Shelf").append(c).append(".item0(id);\n");
    }
    files.add(write(sources.resolve("StartupApp.java"), """
        package shelf;

        /** Prints when main starts, when the first call of a configured method returns, and when a call is served cached. */
        public final class StartupApp {
          public static void main(String[] args) throws Exception {
            long main = System.nanoTime();
            long id = Long.parseLong(args[0]); // new in every run, so no run finds an earlier one's entry
            Shelf0.item0(id);
            long firstCall = System.nanoTime();
        %s
            long cached = -1;
            boolean withAgent = Boolean.parseBoolean(args[1]);
            while (withAgent && System.nanoTime() - main < 30_000_000_000L) {
              int runs = Shelf0.runs;
              Shelf0.item0(id);
              if (Shelf0.runs == runs) {
                cached = System.nanoTime();
                break;
              }
              Thread.sleep(1);
            }
            System.out.println("main=" + main + " firstCall=" + firstCall + " cached=" + cached);
          }
        }
        """.formatted(touchAll)));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    List<String> javacArgs = new ArrayList<>(List.of("-d", classes.toString()));
    files.forEach(file -> javacArgs.add(file.toString()));
    if (javac.run(null, null, null, javacArgs.toArray(new String[0])) != 0) {
      throw new IllegalStateException("could not compile the start-up app in " + sources);
    }
    return classes;
  }

  private static File write(Path file, String text) throws IOException {
    Files.writeString(file, text);
    return file.toFile();
  }
}
