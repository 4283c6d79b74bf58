package io.cacheagent.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Redis Sentinel setup on loopback: a master, a replica, and three sentinels ({@code
 * redis-server --sentinel}) watching them under the name {@link #MASTER_NAME}, with a quorum of
 * two. The test owns the processes, so it can kill the master and watch the sentinels promote the
 * replica.
 */
public final class RedisSentinel implements AutoCloseable {

  /** The name the sentinels know the master by. */
  public static final String MASTER_NAME = "mymaster";

  /** How long the master may be silent before the sentinels fail it over. */
  public static final Duration DOWN_AFTER = Duration.ofSeconds(2);

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

  private final List<RedisServer> servers = new ArrayList<>();
  private final List<Process> sentinels = new ArrayList<>();
  private final List<Integer> sentinelPorts = new ArrayList<>();
  private final List<Path> files = new ArrayList<>();

  private RedisSentinel() {}

  /** Starts the master, its replica and three sentinels, and waits until the sentinels know them all. */
  public static RedisSentinel start() throws IOException, InterruptedException {
    RedisSentinel setup = new RedisSentinel();
    try {
      RedisServer master = RedisServer.start();
      setup.servers.add(master);
      setup.servers.add(RedisServer.start(List.of("--replicaof", "127.0.0.1", String.valueOf(master.port()))));
      for (int i = 0; i < 3; i++) {
        setup.startSentinel(master.port());
      }
      setup.awaitReady();
      return setup;
    } catch (IOException | InterruptedException | RuntimeException e) {
      setup.close();
      throw e;
    }
  }

  private void startSentinel(int masterPort) throws IOException {
    int port = RedisServer.freePort();
    // A sentinel rewrites its file as it learns the setup: each gets its own, writable.
    Path config = Files.createTempFile("sentinel-" + port + "-", ".conf");
    files.add(config);
    Files.writeString(config, String.join("\n",
        "port " + port,
        "bind 127.0.0.1",
        "protected-mode no",
        "sentinel monitor " + MASTER_NAME + " 127.0.0.1 " + masterPort + " 2",
        "sentinel down-after-milliseconds " + MASTER_NAME + " " + DOWN_AFTER.toMillis(),
        "sentinel failover-timeout " + MASTER_NAME + " 10000",
        "sentinel parallel-syncs " + MASTER_NAME + " 1",
        ""), StandardCharsets.UTF_8);
    Path log = Files.createTempFile("sentinel-" + port + "-", ".log");
    files.add(log);
    sentinels.add(new ProcessBuilder(RedisServer.findBinary("redis-server"), config.toString(), "--sentinel")
        .redirectErrorStream(true).redirectOutput(log.toFile()).start());
    sentinelPorts.add(port);
  }

  /** Waits until each sentinel knows the replica and the two other sentinels. */
  private void awaitReady() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    for (int port : sentinelPorts) {
      while (true) {
        String master = RedisServer.tryCli(port, "SENTINEL", "MASTER", MASTER_NAME);
        if (master != null && field(master, "num-slaves").equals("1") && field(master, "num-other-sentinels").equals("2")) {
          break;
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("sentinel on port " + port + " did not learn the setup: " + master);
        }
        Thread.sleep(100);
      }
    }
  }

  /** The value after {@code name} in redis-cli's one-item-per-line output of SENTINEL MASTER. */
  private static String field(String reply, String name) {
    String[] lines = reply.split("\n");
    for (int i = 0; i + 1 < lines.length; i++) {
      if (lines[i].strip().equals(name)) {
        return lines[i + 1].strip();
      }
    }
    return "";
  }

  /** The URI a client uses: {@code redis-sentinel://} every sentinel, then the master's name. */
  public String uri() {
    return "redis-sentinel://" + String.join(",", sentinelPorts.stream().map(port -> "127.0.0.1:" + port).toList())
        + "/0#" + MASTER_NAME;
  }

  /** The server that is master now, as the sentinels say. */
  public RedisServer master() throws IOException, InterruptedException {
    String address = RedisServer.tryCli(sentinelPorts.get(0), "SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER_NAME);
    int port = Integer.parseInt(address.split("\n")[1].strip());
    return servers.stream().filter(server -> server.port() == port).findFirst().orElseThrow();
  }

  /** The master and the replica. */
  public List<RedisServer> servers() {
    return List.copyOf(servers);
  }

  @Override
  public void close() throws InterruptedException {
    for (Process sentinel : sentinels) {
      sentinel.destroyForcibly();
      sentinel.waitFor(10, TimeUnit.SECONDS);
    }
    for (RedisServer server : servers) {
      server.close();
    }
    for (Path file : files) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // a temp file left behind is harmless
      }
    }
  }
}
