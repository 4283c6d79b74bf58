package io.cacheagent.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.tools.attach.VirtualMachine;
import io.cacheagent.testkit.RedisEndpoint;
import io.cacheagent.testkit.RedisExtension;
import io.cacheagent.testkit.RedisServer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A method with a nearCache, in two forked JVMs on one Redis: copies are served without a round
 * trip, and another JVM's write, or a lost connection, ends them. Each JVM has its own fixture
 * "database": a call that was not served from the cache shows as one more query.
 */
@ExtendWith(RedisExtension.class)
class NearCacheIT {

  private static final ObjectName FIND_BY_ID = objectName();
  private static final Pattern NEAR_HITS = Pattern.compile("ProductRepository#findById\\(long\\): hits=\\d+ nearHits=(\\d+)");

  @TempDir
  Path dir;

  @Test
  void aWriteInAnotherJvm_endsTheCopyHere(RedisEndpoint redis) throws Exception {
    aWriteInAnotherJvmEndsTheCopy(Configs.write(dir, "cache-agent.yaml", Configs.shopWithNearCache(redis.uri(), "it-" + UUID.randomUUID())));
  }

  /** Two shops on {@code config}: the reader's copy of product 3 ends when the writer saves it. */
  static void aWriteInAnotherJvmEndsTheCopy(Path config) throws Exception {
    AppProcess reader = AppProcess.shop(config);
    try (reader; AppProcess writer = AppProcess.shop(config)) {
      reader.awaitAgentReady(true);
      writer.awaitAgentReady(true);
      assertThat(reader.call("find 3")).isEqualTo("Product{3,product-3,30} queries=1");
      awaitNearHit(reader);

      assertThat(writer.call("save 3 renamed")).isEqualTo("saved queries=1");

      // Redis's message reaches the reader within about a round trip; the copy, left alone, would live a minute.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
      String answer = reader.call("find 3");
      while (AppProcess.queriesIn(answer) == 1 && System.nanoTime() < deadline) {
        Thread.sleep(20);
        answer = reader.call("find 3");
      }
      assertThat(answer).as("not the copy: the write's tombstone, then a load").isEqualTo("Product{3,product-3,30} queries=2");
    }
    assertThat(nearHits(reader.log())).as("the copy was served before the write").isGreaterThanOrEqualTo(1);
  }

  @Test
  void copiesMadeBeforeALostConnection_areNotServedAfterTheReconnect() throws Exception {
    try (RedisServer server = RedisServer.start()) {
      String keyPrefix = "it-" + UUID.randomUUID();
      Path readerConfig = Configs.write(dir, "reader.yaml", Configs.shopWithNearCache(server.uri(), keyPrefix));
      Path writerConfig = Configs.write(dir, "writer.yaml",
          Configs.shopWithNearCache("redis://:secret@127.0.0.1:" + server.port() + "/0", keyPrefix));
      AppProcess reader = AppProcess.shop(readerConfig);
      try (reader) {
        reader.awaitAgentReady(true);
        assertThat(reader.call("find 3")).isEqualTo("Product{3,product-3,30} queries=1");
        awaitNearHit(reader);
        List<String> readersConnections = clientIds(server, null);

        // The reader loses its connection and cannot come back while the writer writes: Redis tells it nothing.
        server.cli("CONFIG", "SET", "requirepass", "secret");
        try (AppProcess writer = AppProcess.shop(writerConfig)) {
          writer.awaitAgentReady(true);
          for (String id : readersConnections) {
            server.cli("-a", "secret", "--no-auth-warning", "CLIENT", "KILL", "ID", id);
          }
          assertThat(writer.call("save 3 renamed")).isEqualTo("saved queries=1");
          List<String> writersConnections = clientIds(server, "secret");
          server.cli("-a", "secret", "--no-auth-warning", "CONFIG", "SET", "requirepass", "");
          awaitNewConnection(server, writersConnections);
          Thread.sleep(1_000); // the reader's reads settle and its tracking is on again

          assertThat(reader.call("find 3")).as("not the copy made before the disconnect: the write's tombstone, then a load")
              .isEqualTo("Product{3,product-3,30} queries=2");
        }
      }
      assertThat(nearHits(reader.log())).isGreaterThanOrEqualTo(1);
    }
  }

  @Test
  void aReloadThatTakesEveryNearCacheOff_endsTrackingAndTheHeartbeat_andOneThatPutsItBackServesCopies() throws Exception {
    try (RedisServer server = RedisServer.start()) {
      String shop = Configs.shop(server.uri(), "it-" + UUID.randomUUID());
      Path config = Configs.write(dir, "shop.yaml", Configs.withNearCache(shop));
      try (AppProcess app = AppProcess.shop(config)) {
        app.awaitAgentReady(true);
        assertThat(app.call("find 3")).isEqualTo("Product{3,product-3,30} queries=1");
        awaitNearHit(app);
        assertThat(trackingClients(server)).isEqualTo(1);

        Configs.write(dir, "shop.yaml", shop);
        app.awaitLog("[cache-agent] reloaded shop.yaml: com.acme.shop.ProductRepository#findById(long): nearCache {");
        app.awaitLog("[cache-agent] no method has a nearCache any more");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (trackingClients(server) > 0 && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
        assertThat(trackingClients(server)).as("redis tracks nothing for the app").isZero();
        long pings = pings(server);
        Thread.sleep(1_000);
        assertThat(pings(server)).as("no heartbeat").isEqualTo(pings);
        assertThat(app.call("find 3")).as("still cached, in redis").isEqualTo("Product{3,product-3,30} queries=1");

        Configs.write(dir, "shop.yaml", Configs.withNearCache(shop));
        app.awaitLog("nearCache off -> {");
        awaitNearHit(app, nearHitsSoFar(app));
      }
    }
  }

  /** How many of the server's clients have key tracking on (flag {@code t}). */
  private static long trackingClients(RedisServer server) throws Exception {
    return server.cli("CLIENT", "LIST").lines().filter(client -> client.matches(".* flags=\\S*t\\S* .*")).count();
  }

  /** How many PINGs the server answered. */
  private static long pings(RedisServer server) throws Exception {
    Matcher calls = Pattern.compile("cmdstat_ping:calls=(\\d+)").matcher(server.cli("INFO", "commandstats"));
    return calls.find() ? Long.parseLong(calls.group(1)) : 0;
  }

  private static void awaitNearHit(AppProcess app) throws Exception {
    awaitNearHit(app, 0);
  }

  /** findById's near hits so far (JMX NearHits). */
  private static long nearHitsSoFar(AppProcess app) throws Exception {
    VirtualMachine vm = VirtualMachine.attach(String.valueOf(app.pid()));
    try (JMXConnector jmx = JMXConnectorFactory.connect(new JMXServiceURL(vm.startLocalManagementAgent()))) {
      return (long) jmx.getMBeanServerConnection().getAttribute(FIND_BY_ID, "NearHits");
    } finally {
      vm.detach();
    }
  }

  /**
   * Calls {@code find 3} until a call was served from a copy (JMX NearHits above {@code before}),
   * each from the cache: copies are made only once Redis confirmed tracking, a heartbeat or so
   * after the first call.
   */
  private static void awaitNearHit(AppProcess app, long before) throws Exception {
    VirtualMachine vm = VirtualMachine.attach(String.valueOf(app.pid()));
    try (JMXConnector jmx = JMXConnectorFactory.connect(new JMXServiceURL(vm.startLocalManagementAgent()))) {
      MBeanServerConnection beans = jmx.getMBeanServerConnection();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!beans.isRegistered(FIND_BY_ID) || (long) beans.getAttribute(FIND_BY_ID, "NearHits") <= before) {
        assertThat(System.nanoTime()).as("a near hit within 10 s").isLessThan(deadline);
        assertThat(app.call("find 3")).isEqualTo("Product{3,product-3,30} queries=1");
        Thread.sleep(50);
      }
    } finally {
      vm.detach();
    }
  }

  /** The ids of the server's client connections, but for the redis-cli asking. */
  private static List<String> clientIds(RedisServer server, String password) throws Exception {
    String list = password == null ? server.cli("CLIENT", "LIST") : server.cli("-a", password, "--no-auth-warning", "CLIENT", "LIST");
    return Arrays.stream(list.split("\n"))
        .filter(line -> !line.contains("cmd=client|list"))
        .map(line -> line.substring(3, line.indexOf(' ')))
        .toList();
  }

  private static void awaitNewConnection(RedisServer server, List<String> known) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (known.containsAll(clientIds(server, null))) {
      assertThat(System.nanoTime()).as("the reader reconnected within 10 s").isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  private static ObjectName objectName() {
    try {
      return new ObjectName("io.cacheagent:type=CachedMethod,name=" + ObjectName.quote("com.acme.shop.ProductRepository#findById(long)"));
    } catch (javax.management.MalformedObjectNameException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static int nearHits(String log) {
    Matcher m = NEAR_HITS.matcher(log);
    assertThat(m.find()).as("the exit report of findById in:\n" + log).isTrue();
    return Integer.parseInt(m.group(1));
  }
}
