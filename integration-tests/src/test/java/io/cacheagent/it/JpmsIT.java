package io.cacheagent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.cacheagent.testkit.RedisEndpoint;
import io.cacheagent.testkit.RedisExtension;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cached class inside a named JPMS module that exports and opens nothing, run from the module
 * path: no {@code --add-opens} on the command line, the agent opens what it needs itself.
 */
@ExtendWith(RedisExtension.class)
class JpmsIT {

  @TempDir
  Path dir;

  @Test
  void packagePrivateClassInAClosedNamedModule_isCachedAndEvicted(RedisEndpoint redis) throws Exception {
    Path modules = compileModule();
    Path config = Configs.write(dir, "bank.yaml", """
        redis:
          uri: %s
          keyPrefix: bank-%d
          commandTimeout: 500ms
        methods:
          - method: com.acme.bank.Ledger#balance(long)
            evictOn:
              - method: com.acme.bank.Ledger#deposit(com.acme.bank.Account)
                key: args[0].id
        """.formatted(redis.uri(), System.nanoTime()));

    try (AppProcess app = AppProcess.startModule(config, modules, "com.acme.bank/com.acme.bank.BankApp").awaitAgentReady(true)) {
      assertThat(app.call("module")).isEqualTo("module com.acme.bank");
      assertThat(app.call("balance 1")).isEqualTo("Account[id=1, cents=100] reads=1");
      assertThat(app.call("balance 1")).isEqualTo("Account[id=1, cents=100] reads=1");

      assertThat(app.call("deposit 1 250")).isEqualTo("deposited reads=1");
      assertThat(app.call("balance 1")).isEqualTo("Account[id=1, cents=250] reads=2");
      assertThat(app.call("balance 1")).isEqualTo("Account[id=1, cents=250] reads=2");
      assertThat(app.log()).doesNotContain("uncached").doesNotContain("cannot");
    }
  }

  /** Compiles the module of src/test/resources/modular-app into a module path directory. */
  private Path compileModule() throws Exception {
    Path modules = dir.resolve("modules");
    Javac.compileResources("/modular-app/com.acme.bank", modules.resolve("com.acme.bank"), null);
    return modules;
  }
}
