package io.cacheagent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.cacheagent.testkit.RedisEndpoint;
import io.cacheagent.testkit.RedisExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes and reads inside JTA transactions, without Spring (com.acme.jta: Narayana standalone, its
 * TransactionSynchronizationRegistry bound in the java: namespace as an application server binds it): an eviction
 * runs again after the commit, and a miss inside a transaction is stored only once it committed.
 */
@ExtendWith(RedisExtension.class)
class JtaTransactionsIT {

  @TempDir
  Path dir;

  private Path config;

  @BeforeEach
  void writeConfig(RedisEndpoint redis) throws Exception {
    config = Configs.write(dir, "prices.yaml", """
        redis:
          uri: %s
          keyPrefix: prices-%d
          commandTimeout: 500ms
        methods:
          - method: com.acme.jta.PriceService#price(java.lang.String)
            evictOn:
              - method: com.acme.jta.PriceService#setPrice(java.lang.String, long)
                key: args[0]
        """.formatted(redis.uri(), System.nanoTime()));
  }

  private AppProcess start() throws Exception {
    List<String> options = List.of("-Djava.naming.factory.url.pkgs=com.acme.jta.naming",
        "-DObjectStoreEnvironmentBean.objectStoreDir=" + dir.resolve("object-store"),
        "-Dcom.arjuna.ats.arjuna.objectstore.objectStoreDir=" + dir.resolve("object-store"));
    return AppProcess.start(config, options, System.getProperty("java.class.path"), "com.acme.jta.JtaApp", Map.of())
        .awaitAgentReady(true);
  }

  @Test
  void aReadBetweenAWriteAndItsCommit_isNotServedAfterTheCommit() throws Exception {
    try (AppProcess app = start()) {
      assertThat(app.call("price tea")).isEqualTo("3 loads=1");
      assertThat(app.call("price tea")).as("cached").isEqualTo("3 loads=1");

      assertThat(app.call("set-in-transaction-read-before-commit tea 5")).as("the old value, still committed, cached again")
          .isEqualTo("read 3 before the commit loads=2");

      assertThat(app.call("price tea")).as("evicted again after the commit").isEqualTo("5 loads=3");
      assertThat(app.call("price tea")).isEqualTo("5 loads=3");
      assertThat(app.log()).contains("following JTA transactions through java:comp/TransactionSynchronizationRegistry");
    }
  }

  @Test
  void aRemoteNamingClientsFactoryAlone_isNotAskedForTheRegistry() throws Exception {
    // The default context of a remote client (of EJBs, of JMS) may answer over the network: the
    // agent asks only a JVM that serves the java: namespace. This one would answer if asked.
    List<String> options = List.of("-Djava.naming.factory.initial=com.acme.jta.RemoteNamingFactory",
        "-DObjectStoreEnvironmentBean.objectStoreDir=" + dir.resolve("object-store"));
    try (AppProcess app = AppProcess.start(config, options, System.getProperty("java.class.path"), "com.acme.jta.JtaApp", Map.of())
        .awaitAgentReady(true)) {
      assertThat(app.call("read-own-write-and-roll-back tea 99")).isEqualTo("read 99 and rolled back loads=1");
      assertThat(app.call("asked-remote-naming")).isEqualTo("false loads=1");
      assertThat(app.log()).doesNotContain("following JTA transactions");
    }
  }

  @Test
  void aMissInsideATransactionThatRollsBack_isNeverStored() throws Exception {
    try (AppProcess app = start()) {
      assertThat(app.call("read-own-write-and-roll-back tea 99")).as("read inside the transaction")
          .isEqualTo("read 99 and rolled back loads=1");

      assertThat(app.call("price tea")).as("what was never committed is not served").isEqualTo("3 loads=2");
      assertThat(app.call("price tea")).isEqualTo("3 loads=2");
    }
  }
}
