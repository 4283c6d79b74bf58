package io.cacheagent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.cacheagent.testkit.RedisEndpoint;
import io.cacheagent.testkit.RedisExtension;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes and reads inside Spring-managed transactions (fixtures/spring-boot-app: JdbcTemplate and
 * {@code @Transactional} over an embedded H2, run from its executable jar): an eviction runs again
 * after the commit, and a miss inside a transaction is stored only once it committed.
 */
@ExtendWith(RedisExtension.class)
class SpringTransactionsIT {

  private static final Path JAR = Path.of(System.getProperty("spring.boot.jar"));

  @TempDir
  Path dir;

  private Path config;

  @BeforeEach
  void writeConfig(RedisEndpoint redis) throws Exception {
    config = Configs.write(dir, "accounts.yaml", """
        redis:
          uri: %s
          keyPrefix: accounts-%d
          commandTimeout: 500ms
        methods:
          - method: com.acme.boot.AccountService#balance(long)
            evictOn:
              - method: com.acme.boot.AccountService#deposit(long, int)
                key: args[0]
        """.formatted(redis.uri(), System.nanoTime()));
  }

  private AppProcess boot() throws Exception {
    return AppProcess.startJar(config, List.of(), JAR).awaitAgentReady(true);
  }

  @Test
  void aReadBetweenAWriteAndItsCommit_isNotServedAfterTheCommit() throws Exception {
    try (AppProcess app = boot()) {
      assertThat(app.call("balance 1")).isEqualTo("100 reads=1");
      assertThat(app.call("balance 1")).as("cached").isEqualTo("100 reads=1");

      assertThat(app.call("deposit-and-hold 1 50")).isEqualTo("deposited, not committed"); // evicted at its return
      assertThat(app.call("balance 1")).as("the old value, still committed, cached again").isEqualTo("100 reads=2");
      assertThat(app.call("commit")).isEqualTo("committed");

      assertThat(app.call("balance 1")).as("evicted again after the commit").isEqualTo("150 reads=3");
      assertThat(app.call("balance 1")).isEqualTo("150 reads=3");
    }
  }

  @Test
  void aMissInsideATransactionThatRollsBack_isNeverStored() throws Exception {
    try (AppProcess app = boot()) {
      assertThat(app.call("rollback-read 2")).as("read inside the transaction").isEqualTo("999 reads=1");

      assertThat(app.call("balance 2")).as("what was never committed is not served").isEqualTo("100 reads=2");
      assertThat(app.call("balance 2")).isEqualTo("100 reads=2");
    }
  }

  @Test
  void aMissInsideATransactionThatCommits_isStoredAfterTheCommit() throws Exception {
    try (AppProcess app = boot()) {
      assertThat(app.call("read-in-transaction 2")).isEqualTo("100 reads=1");

      assertThat(app.call("balance 2")).as("stored once committed").isEqualTo("100 reads=1");
      assertThat(app.call("deposit 2 5")).isEqualTo("deposited");
      assertThat(app.call("balance 2")).isEqualTo("105 reads=2");
    }
  }
}
