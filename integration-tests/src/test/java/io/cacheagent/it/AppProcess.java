package io.cacheagent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A forked JVM running an app, optionally with {@code -javaagent:cache-agent.jar}, driven over
 * standard input one command per line and answering one line each on standard output. Standard
 * error (where the agent logs) is collected for assertions.
 */
final class AppProcess implements AutoCloseable {

  private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);
  /** The packages under com.acme of the apps that run on Java 8 and 11 too (their sources use Java 8 only). */
  private static final List<String> JAVA_8_APPS = List.of("shop", "keys", "history", "library");
  /** Those apps compiled for Java 8; see {@link #appClassPath}. */
  private static Path appClasses;
  private static final Pattern QUERIES = Pattern.compile("queries=(\\d+)$");
  /** The password in {@code redis://user:password@host}. */
  private static final Pattern URI_PASSWORD = Pattern.compile("rediss?://[^:/@\\s]*:([^@\\s/]+)@");

  private final Process process;
  private final Writer stdin;
  private final BlockingQueue<String> stdout = new LinkedBlockingQueue<>();
  private final StringBuffer stderr = new StringBuffer();
  /** Every line the app printed, on either stream. */
  private final StringBuffer printed = new StringBuffer();
  /** What the test gave the app that it must never print: passwords, keys. */
  private final List<String> secrets;
  private final List<Thread> pumps = new ArrayList<>();
  private boolean started;

  private AppProcess(Process process, List<String> secrets) {
    this.process = process;
    this.secrets = secrets;
    this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    pump(new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)), line -> {
      printed.append(line).append('\n');
      stdout.add(line);
    }, "stdout");
    pump(new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8)), line -> {
      printed.append(line).append('\n');
      stderr.append(line).append('\n');
    }, "stderr");
  }

  /**
   * The secrets an app started with {@code env} and {@code config} holds: values of environment
   * variables named for a key, secret or password, and passwords in Redis URIs.
   */
  private static List<String> secretsGiven(Map<String, String> env, Path config) throws IOException {
    List<String> secrets = new ArrayList<>();
    StringBuilder texts = new StringBuilder(config == null || !Files.isRegularFile(config) ? "" : Files.readString(config));
    env.forEach((name, value) -> {
      texts.append('\n').append(value);
      if (name.matches(".*(KEY|SECRET|PASSWORD).*") && !name.endsWith("PREFIX")) {
        secrets.add(value);
      }
    });
    Matcher password = URI_PASSWORD.matcher(texts);
    while (password.find()) {
      secrets.add(password.group(1));
    }
    secrets.removeIf(secret -> secret.length() < 4); // too short to tell from ordinary text
    return List.copyOf(secrets);
  }

  /**
   * The JDK that apps and commands run on: {@code -Dapp.java.home} (the build runs the whole suite a
   * second time on Java 25 this way), else the JDK running the tests.
   */
  static Path javaHome() {
    return Path.of(System.getProperty("app.java.home", System.getProperty("java.home")));
  }

  /** The {@code java} launcher of {@link #javaHome()}. */
  static String java() {
    return javaHome().resolve("bin").resolve("java").toString();
  }

  /**
   * The {@code java} that runs the {@code attach} and {@code stats} commands: {@link #java()}, unless
   * that is Java 8, where those commands do not run (the Attach API they use is in the JDK only
   * from Java 9 on); then the JDK running the tests. They attach to apps on Java 8 all the same.
   */
  static String attachJava() {
    return appsRunJava8() ? Path.of(System.getProperty("java.home"), "bin", "java").toString() : java();
  }

  /** Whether {@link #javaHome()} is a Java 8 runtime: it has {@code lib/rt.jar}, which Java 9 and later lack. */
  static boolean appsRunJava8() {
    return Files.exists(javaHome().resolve("lib/rt.jar"));
  }

  /** Runs a command (a tool, the agent's commands) to its end; fails the test unless it exits 0. Returns what it printed. */
  static String runToEnd(List<String> command) throws IOException, InterruptedException {
    Ended ended = run(command);
    assertThat(ended.exitCode()).as(command + " printed:\n" + ended.output()).isZero();
    return ended.output();
  }

  /** How a command ended: its exit code and what it printed (standard output and error). */
  record Ended(int exitCode, String output) {}

  /** Runs a command to its end, whatever its exit code. */
  static Ended run(List<String> command) throws IOException, InterruptedException {
    return run(new ProcessBuilder(command).redirectErrorStream(true));
  }

  /** Runs a command to its end, whatever its exit code; its output is standard output only. */
  static Ended runStandardOutput(List<String> command) throws IOException, InterruptedException {
    return run(new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD));
  }

  private static Ended run(ProcessBuilder builder) throws IOException, InterruptedException {
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Ended(process.waitFor(), output);
  }

  /** The path of the agent jar users get, built by the agent module. */
  static String agentJar() {
    String jar = System.getProperty("cache.agent.jar");
    if (jar == null || !Path.of(jar).toFile().isFile()) {
      throw new IllegalStateException("cache-agent.jar not found at " + jar + "; run mvn verify from the top directory");
    }
    return jar;
  }

  /** Starts {@code mainClass} with the agent and {@code config} (null: no agent at all). */
  static AppProcess start(Path config, List<String> jvmOptions, String classpath, String mainClass, Map<String, String> env)
      throws IOException {
    return start(javaHome(), config, jvmOptions, classpath, mainClass, env);
  }

  /** The same, on the JDK or JRE at {@code javaHome}. */
  static AppProcess start(Path javaHome, Path config, List<String> jvmOptions, String classpath, String mainClass,
      Map<String, String> env) throws IOException {
    return launch(javaHome, config, jvmOptions, List.of("-cp", classpath, mainClass), env);
  }

  /** Starts {@code mainClass} with program arguments {@code args}, the agent and {@code config}. */
  static AppProcess start(Path config, List<String> jvmOptions, String classpath, String mainClass, List<String> args)
      throws IOException {
    List<String> application = new ArrayList<>(List.of("-cp", classpath, mainClass));
    application.addAll(args);
    return launch(javaHome(), config, jvmOptions, application, Map.of());
  }

  /** Starts an executable jar ({@code java -jar}) with the agent and {@code config} (null: no agent). */
  static AppProcess startJar(Path config, List<String> jvmOptions, Path jar) throws IOException {
    return launch(javaHome(), config, jvmOptions, List.of("-jar", jar.toString()), Map.of());
  }

  /** Starts a named module's main class ({@code --module-path dir -m module/class}) with the agent and {@code config}. */
  static AppProcess startModule(Path config, Path modulePath, String moduleAndMainClass) throws IOException {
    return launch(javaHome(), config, List.of(),
        List.of("--module-path", modulePath.toString(), "-m", moduleAndMainClass), Map.of());
  }

  private static AppProcess launch(Path javaHome, Path config, List<String> jvmOptions, List<String> application,
      Map<String, String> env) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(javaHome.resolve("bin").resolve("java").toString());
    command.add("-Xshare:auto");
    if (config != null) {
      command.add("-javaagent:" + agentJar() + "=" + config);
    }
    command.addAll(jvmOptions);
    command.addAll(application);
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().remove("CACHE_AGENT_REDIS_URI");
    builder.environment().putAll(env);
    return new AppProcess(builder.start(), secretsGiven(env, config));
  }

  /** Starts the fixture shop app of this module. */
  static AppProcess shop(Path config, String... jvmOptions) throws IOException {
    return start(config, List.of(jvmOptions), appClassPath(), "com.acme.shop.ShopApp", Map.of());
  }

  /**
   * A class path for the fixture apps that every JDK a pass names can run, Java 8 included: their
   * classes ({@link #appClasses}) ahead of the test class path.
   */
  static String appClassPath() throws IOException {
    return appClasses() + File.pathSeparator + System.getProperty("java.class.path");
  }

  /**
   * The classes of the fixture apps ({@link #JAVA_8_APPS}), compiled for Java 8 once per test JVM
   * from this module's test sources.
   */
  static synchronized Path appClasses() throws IOException {
    if (appClasses == null) {
      Path out = Path.of("target", "apps-java8").toAbsolutePath(); // failsafe runs in the module's directory
      List<Path> sources = new ArrayList<>();
      for (String app : JAVA_8_APPS) {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("test.sources"), "com", "acme", app))) {
          files.filter(f -> f.toString().endsWith(".java")).forEach(sources::add);
        }
      }
      Javac.compile(out, null, sources, List.of("--release", "8"));
      appClasses = out;
    }
    return appClasses;
  }

  private void pump(BufferedReader reader, java.util.function.Consumer<String> sink, String name) {
    Thread thread = new Thread(() -> {
      try {
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
          sink.accept(line);
        }
      } catch (IOException ignored) {
        // the process ended
      }
    }, "app-" + name);
    thread.setDaemon(true);
    thread.start();
    pumps.add(thread);
  }

  /** Sends a command and returns the answer line. */
  String call(String command) throws IOException, InterruptedException {
    send(command);
    return nextLine();
  }

  /** Sends a command without waiting for its answer. */
  void send(String command) throws IOException, InterruptedException {
    if (!started) {
      // Apps print "started" once main runs; answers come after it.
      while (!"started".equals(nextLine())) {
        // skip anything printed before
      }
      started = true;
    }
    stdin.write(command + "\n");
    stdin.flush();
  }

  /** The next line the app printed on standard output. */
  String nextLine() throws InterruptedException {
    return nextLine(ANSWER_TIMEOUT);
  }

  /** The next line the app printed on standard output, waited for at most {@code timeout}. */
  String nextLine(Duration timeout) throws InterruptedException {
    String line = stdout.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (line == null) {
      throw new IllegalStateException("no answer from the app within " + timeout + "; stderr:\n" + stderr);
    }
    return line;
  }

  /** Waits until standard error contains {@code fragment}. */
  AppProcess awaitLog(String fragment) throws InterruptedException {
    long deadline = System.nanoTime() + ANSWER_TIMEOUT.toNanos();
    while (stderr.indexOf(fragment) < 0) {
      if (System.nanoTime() > deadline || !process.isAlive() && stderr.indexOf(fragment) < 0) {
        throw new IllegalStateException("the app did not log \"" + fragment + "\"; stderr:\n" + stderr);
      }
      Thread.sleep(20);
    }
    return this;
  }

  /** Waits until the agent is installed and, with Redis, connected. */
  AppProcess awaitAgentReady(boolean redis) throws InterruptedException {
    awaitLog("[cache-agent] ready");
    return redis ? awaitLog("[cache-agent] connected to") : this;
  }

  /** The query count at the end of an answer of the fixture shop ({@code ... queries=3}). */
  static int queriesIn(String answer) {
    Matcher m = QUERIES.matcher(answer);
    if (!m.find()) {
      throw new AssertionError("no queries=N in \"" + answer + "\"");
    }
    return Integer.parseInt(m.group(1));
  }

  /**
   * Calls the fixture shop's {@code command} twice in a row, every 100 ms, until the second answer
   * costs no query (it was served from the cache), passing every answer to {@code check};
   * whether that happened within {@code timeout}.
   */
  boolean awaitCachedAgain(String command, Consumer<String> check, Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      String first = call(command);
      String second = call(command);
      check.accept(first);
      check.accept(second);
      if (queriesIn(second) == queriesIn(first)) {
        return true;
      }
      Thread.sleep(100);
    }
    return false;
  }

  /** The process id, e.g. to attach to it. */
  long pid() {
    return process.pid();
  }

  String log() {
    return stderr.toString();
  }

  /** Waits for the process to end and returns its exit code. */
  int waitForExit() throws InterruptedException {
    if (!process.waitFor(ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException("the app did not exit; stderr:\n" + stderr);
    }
    return process.exitValue();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      try {
        stdin.write("quit\n");
        stdin.flush();
      } catch (IOException ignored) {
        // already gone
      }
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
    for (Thread pump : pumps) {
      pump.join(5_000); // the last lines
    }
    assertPrintedNoSecret();
  }

  /** Fails when any line the app printed holds a secret the test gave it. */
  private void assertPrintedNoSecret() {
    String all = printed.toString();
    for (String secret : secrets) {
      int at = all.indexOf(secret);
      if (at >= 0) {
        int start = all.lastIndexOf('\n', at) + 1;
        int end = all.indexOf('\n', at);
        throw new AssertionError("the app printed a secret it was given, in: "
            + all.substring(start, end < 0 ? all.length() : end).replace(secret, "<the secret>"));
      }
    }
  }
}
