package io.cacheagent.testkit;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real Redis Cluster on loopback: {@code masters} masters with {@code replicasPerMaster} replicas
 * each, every node its own {@code redis-server} process with {@code cluster-enabled yes}, joined
 * with {@code redis-cli --cluster create} as operators do. The test owns the processes, so it can
 * kill a master and watch its replica take over.
 */
public final class RedisCluster implements AutoCloseable {

  /** How long a node may be silent before the others fail it over: short, so that tests do not wait long. */
  public static final Duration NODE_TIMEOUT = Duration.ofSeconds(2);

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

  private final List<RedisServer> nodes;

  private RedisCluster(List<RedisServer> nodes) {
    this.nodes = nodes;
  }

  /** Starts the nodes, creates the cluster, and waits until every node sees every slot served. */
  public static RedisCluster start(int masters, int replicasPerMaster) throws IOException, InterruptedException {
    List<RedisServer> nodes = new ArrayList<>();
    RedisCluster cluster = new RedisCluster(nodes);
    try {
      for (int i = 0; i < masters * (1 + replicasPerMaster); i++) {
        int port = portWithFreeBusPort();
        nodes.add(RedisServer.start(port, List.of("--cluster-enabled", "yes",
            "--cluster-config-file", "nodes-" + port + ".conf",
            "--cluster-node-timeout", String.valueOf(NODE_TIMEOUT.toMillis()))));
      }
      List<String> create = new ArrayList<>(List.of("--cluster", "create"));
      for (RedisServer node : nodes) {
        create.add("127.0.0.1:" + node.port());
      }
      create.addAll(List.of("--cluster-replicas", String.valueOf(replicasPerMaster), "--cluster-yes"));
      nodes.get(0).cli(create.toArray(String[]::new));
      cluster.awaitReady();
      return cluster;
    } catch (IOException | InterruptedException | RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  /** Waits until every node reports {@code cluster_state:ok} and the masters have their replicas. */
  private void awaitReady() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    for (RedisServer node : nodes) {
      while (!node.cli("CLUSTER", "INFO").contains("cluster_state:ok") || replicasSyncing(node)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the cluster did not become ready: " + node.cli("CLUSTER", "NODES"));
        }
        Thread.sleep(100);
      }
    }
  }

  private static boolean replicasSyncing(RedisServer node) throws IOException, InterruptedException {
    String replication = node.cli("INFO", "replication");
    return replication.contains("role:slave") && !replication.contains("master_link_status:up");
  }

  /** A port whose cluster bus port (the port plus 10000) is a valid port and free too. */
  private static int portWithFreeBusPort() throws IOException {
    for (int attempt = 0; attempt < 100; attempt++) {
      int port = RedisServer.freePort();
      if (port + 10_000 <= 65_535 && isFree(port + 10_000)) {
        return port;
      }
    }
    throw new IOException("found no free port whose cluster bus port is free too");
  }

  private static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket(port)) {
      return true;
    } catch (IOException taken) {
      return false;
    }
  }

  /** The seed URIs a client starts from: every node's. */
  public List<String> seeds() {
    return nodes.stream().map(node -> "redis://127.0.0.1:" + node.port()).toList();
  }

  /** The nodes that are masters now. */
  public List<RedisServer> masters() throws IOException, InterruptedException {
    List<RedisServer> masters = new ArrayList<>();
    for (RedisServer node : nodes) {
      if (node.cli("INFO", "replication").contains("role:master")) {
        masters.add(node);
      }
    }
    return masters;
  }

  /** The node that replicates {@code master}. */
  public RedisServer replicaOf(RedisServer master) throws IOException, InterruptedException {
    for (RedisServer node : nodes) {
      if (node.cli("INFO", "replication").lines().map(String::strip).anyMatch(("master_port:" + master.port())::equals)) {
        return node;
      }
    }
    throw new IllegalStateException("no replica of the master on port " + master.port() + ": " + master.cli("CLUSTER", "NODES"));
  }

  /** Waits until {@code node} is a master that every live node sees serving, and the cluster is ok. */
  public void awaitMaster(RedisServer node, Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!node.cli("INFO", "replication").contains("role:master") || !node.cli("CLUSTER", "INFO").contains("cluster_state:ok")) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the node on port " + node.port() + " did not become a master: " + node.cli("CLUSTER", "NODES"));
      }
      Thread.sleep(100);
    }
  }

  /** Runs {@code redis-cli -c} (following redirects) against a node. */
  public String cli(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("-c"));
    command.addAll(List.of(args));
    return nodes.get(0).cli(command.toArray(String[]::new));
  }

  @Override
  public void close() throws InterruptedException {
    for (RedisServer node : nodes) {
      node.close();
    }
  }
}
