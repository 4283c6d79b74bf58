package io.cacheagent.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The catalog service in its own JVM, with or without {@code -javaagent:cache-agent.jar}. */
final class ServiceProcess implements AutoCloseable {

  private static final long START_TIMEOUT_MILLIS = 120_000;

  private final Process process;
  private final int port;
  private final StringBuffer output = new StringBuffer();
  private final Thread pump;

  private ServiceProcess(Process process, int port) {
    this.process = process;
    this.port = port;
    this.pump = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          output.append(line).append('\n');
        }
      } catch (IOException ignored) {
        // the service ended
      }
    }, "service-output");
    pump.setDaemon(true);
    pump.start();
  }

  /**
   * Starts the service and waits until it listens and, with an agent, until the agent is ready.
   *
   * @param agentJar {@code null} for the run without agent
   */
  static ServiceProcess start(Path classpath, Path agentJar, Path config, Map<String, String> env)
      throws IOException, InterruptedException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx1g"));
    if (agentJar != null) {
      command.add("-javaagent:" + agentJar + "=" + config);
    }
    command.addAll(List.of("-cp", classpath.toString(), "com.acme.catalog.CatalogService", String.valueOf(port)));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().remove("CACHE_AGENT_REDIS_URI");
    builder.environment().putAll(env);
    ServiceProcess service = new ServiceProcess(builder.start(), port);
    service.await("listening on " + port);
    if (agentJar != null) {
      service.await("[cache-agent] ready");
      if (env.containsKey("CACHE_AGENT_REDIS_URI")) {
        service.await("[cache-agent] connected to");
      }
    }
    return service;
  }

  private void await(String line) throws InterruptedException {
    long deadline = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
    while (output.indexOf(line) < 0) {
      if (!process.isAlive() || System.currentTimeMillis() > deadline) {
        throw new IllegalStateException("the catalog service did not print \"" + line + "\":\n" + output);
      }
      Thread.sleep(50);
    }
  }

  String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  /** Lines the service and the agent printed; after {@link #close}, all of them, the agent's exit report too. */
  String output() {
    return output.toString();
  }

  @Override
  public void close() throws InterruptedException {
    // SIGTERM through the handle: Process.destroy would also close the pipe, and the agent's exit
    // report, printed as the JVM exits, would be lost.
    process.toHandle().destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    pump.join(5_000); // the last lines: the agent prints its report as the JVM exits
  }
}
