package io.cacheagent.testkit;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} process on a free loopback port, owned by the test that started it,
 * so that the test can stop, restart or pause it. Nothing is persisted to disk, unless the test
 * stops it with {@link #shutdownSaving()}.
 */
public final class RedisServer implements AutoCloseable {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

  private final int port;
  private final List<String> options;
  private final Path logFile;
  private final Path dataDir;
  private Process process;

  private RedisServer(int port, List<String> options) throws IOException {
    this.port = port;
    this.options = options;
    this.logFile = Files.createTempFile("redis-" + port + "-", ".log");
    this.dataDir = Files.createTempDirectory("redis-" + port + "-data");
  }

  /** Whether a {@code redis-server} binary is on the PATH. */
  public static boolean isInstalled() {
    return findBinary("redis-server") != null;
  }

  /** Starts a server on a free port and waits until it answers PING. */
  public static RedisServer start() throws IOException, InterruptedException {
    return start(List.of());
  }

  /** Starts a server with extra {@code redis-server} options, e.g. {@code --requirepass secret}. */
  public static RedisServer start(List<String> options) throws IOException, InterruptedException {
    RedisServer server = new RedisServer(freePort(), List.copyOf(options));
    server.restart();
    return server;
  }

  /** Starts a server on {@code port} with extra options, e.g. a node of a cluster whose bus port must be free too. */
  public static RedisServer start(int port, List<String> options) throws IOException, InterruptedException {
    RedisServer server = new RedisServer(port, List.copyOf(options));
    server.restart();
    return server;
  }

  /**
   * Starts the server again on the same port (after {@link #stop()} or {@link #shutdownSaving()});
   * empty, unless {@link #shutdownSaving()} saved its data.
   */
  public void restart() throws IOException, InterruptedException {
    String binary = findBinary("redis-server");
    if (binary == null) {
      throw new IllegalStateException("redis-server is not installed; install it (apt-get install redis-server) or set REDIS_URI");
    }
    List<String> command = new ArrayList<>(List.of(binary, "--port", String.valueOf(port), "--bind", "127.0.0.1",
        "--save", "", "--appendonly", "no", "--protected-mode", "no",
        "--dir", dataDir.toString(), "--dbfilename", "dump.rdb",
        // tests slow the server down on purpose with DEBUG SLEEP
        "--enable-debug-command", "local"));
    command.addAll(options);
    process = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(logFile.toFile())
        .start();
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (!isAnswering()) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        throw new IllegalStateException("redis-server on port " + port + " did not start: " + Files.readString(logFile));
      }
      Thread.sleep(20);
    }
  }

  private boolean isAnswering() throws IOException, InterruptedException {
    String reply = tryCli("PING");
    return reply != null && (reply.equals("PONG") || reply.startsWith("NOAUTH"));
  }

  /** Kills the server (SIGKILL): clients see the connection drop. */
  public void stop() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /**
   * Cuts this master off from {@code replica} for good, as a lost link would, while the master's
   * open connections keep working: it asks new connections for a password the replica does not
   * know, and drops the replica's link. Returns once the replica sees its link down. What the
   * master confirms from then on, the replica never gets.
   */
  public void cutOffReplica(RedisServer replica) throws IOException, InterruptedException {
    cli("CONFIG", "SET", "requirepass", "cut-off");
    cli("-a", "cut-off", "--no-auth-warning", "CLIENT", "KILL", "TYPE", "replica");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!replica.cli("INFO", "replication").contains("master_link_status:down")) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the replica on port " + replica.port() + " still has its link to port " + port);
      }
      Thread.sleep(50);
    }
  }

  /**
   * Stops the server the way an operator restarts it: it writes its data to disk and exits, and
   * the next {@link #restart()} loads it again. Clients see the connection drop.
   */
  public void shutdownSaving() throws IOException, InterruptedException {
    tryCli("SHUTDOWN", "SAVE"); // the server closes the connection instead of answering
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("redis-server on port " + port + " did not shut down: " + Files.readString(logFile));
    }
  }

  public int port() {
    return port;
  }

  public String uri() {
    return "redis://127.0.0.1:" + port + "/0";
  }

  /** Runs {@code redis-cli} against this server and returns its output, trimmed. */
  public String cli(String... args) throws IOException, InterruptedException {
    String out = tryCli(args);
    if (out == null) {
      throw new IOException("redis-cli " + String.join(" ", args) + " failed on port " + port);
    }
    return out;
  }

  private String tryCli(String... args) throws IOException, InterruptedException {
    return tryCli(port, args);
  }

  /** Runs {@code redis-cli} against the server or sentinel on {@code port}; its output, trimmed, or {@code null} when it failed. */
  static String tryCli(int port, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(cliBinary(), "-h", "127.0.0.1", "-p", String.valueOf(port)));
    command.addAll(List.of(args));
    Process cli = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] out = cli.getInputStream().readAllBytes();
    if (!cli.waitFor(10, TimeUnit.SECONDS) || cli.exitValue() != 0) {
      return null;
    }
    String text = new String(out, StandardCharsets.UTF_8).strip();
    return text.startsWith("Could not connect") ? null : text;
  }

  private static String cliBinary() {
    String binary = findBinary("redis-cli");
    if (binary == null) {
      throw new IllegalStateException("redis-cli is not installed (it comes with redis-server / redis-tools)");
    }
    return binary;
  }

  static String findBinary(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
      File candidate = new File(dir, name);
      if (candidate.canExecute()) {
        return candidate.getAbsolutePath();
      }
    }
    return null;
  }

  /** A port nobody listens on right now. */
  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop();
    try {
      Files.deleteIfExists(logFile);
      try (var files = Files.list(dataDir)) { // dump.rdb, a cluster node's nodes.conf
        for (Path file : files.toList()) {
          Files.deleteIfExists(file);
        }
      }
      Files.deleteIfExists(dataDir);
    } catch (IOException ignored) {
      // a temp file left behind is harmless
    }
  }
}
