package io.cacheagent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.cacheagent.testkit.RedisEndpoint;
import io.cacheagent.testkit.RedisExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Different arguments never share an entry, nor do instances whose state the key names; a large
 * argument is not worth a key.
 */
@ExtendWith(RedisExtension.class)
class KeysIT {

  @TempDir
  Path dir;

  private AppProcess start(RedisEndpoint redis) throws Exception {
    Path config = Configs.write(dir, "keys.yaml", """
        redis:
          uri: %s
          keyPrefix: keys-%d
        methods:
          - method: com.acme.keys.Catalog#describe(java.lang.Object)
            evictOn:
              - method: com.acme.keys.Catalog#touch(long)
          - method: com.acme.keys.Catalog#render(byte[])
          - method: com.acme.keys.Catalog#label(java.lang.String)
          - method: com.acme.keys.RegionalPrices#quote(long)
            key: [this.region, "args[0]"]
            evictOn:
              - method: com.acme.keys.RegionalPrices#reprice(long)
                key: [this.region, "args[0]"]
          - method: com.acme.keys.RegionalPrices#headline(long)
          - method: com.acme.keys.Catalog#owner(long)
            evictOn:
              - method: com.acme.keys.Catalog#rename(java.lang.String)
                key: args[0].customerId
        """.formatted(redis.uri(), System.nanoTime()));
    return AppProcess.start(config, List.of(), AppProcess.appClassPath(), "com.acme.keys.KeysApp", Map.of())
        .awaitAgentReady(true);
  }

  @Test
  void argumentsDeclaredObject_keepTheirType_andAWriteEvictsEveryIntegralType(RedisEndpoint redis) throws Exception {
    try (AppProcess app = start(redis)) {
      assertThat(app.call("describe int 42")).isEqualTo("Integer:42 runs=1");
      assertThat(app.call("describe long 42")).isEqualTo("Long:42 runs=2");
      assertThat(app.call("describe big 42")).isEqualTo("BigInteger:42 runs=3");
      assertThat(app.call("describe ints 1,2")).isEqualTo("int[]:[1, 2] runs=4");
      assertThat(app.call("describe list 1,2")).isEqualTo("ArrayList:[1, 2] runs=5");
      assertThat(app.call("describe int 42")).as("cached").isEqualTo("Integer:42 runs=5");
      assertThat(app.call("describe long 42")).as("cached").isEqualTo("Long:42 runs=5");

      assertThat(app.call("touch 42")).isEqualTo("touched runs=6");
      assertThat(app.call("describe int 42")).as("evicted by the long write").isEqualTo("Integer:42 runs=7");
      assertThat(app.call("describe long 42")).isEqualTo("Long:42 runs=8");
      assertThat(app.call("describe big 42")).isEqualTo("BigInteger:42 runs=9");
      assertThat(app.call("describe short 42")).isEqualTo("Short:42 runs=10");
    }
  }

  @Test
  void unpairedSurrogates_areDifferentStrings_andLargeArgumentsRunUncached(RedisEndpoint redis) throws Exception {
    try (AppProcess app = start(redis)) {
      assertThat(app.call("label 0")).isEqualTo("label of [d800] runs=1");
      assertThat(app.call("label 1")).isEqualTo("label of [dc00] runs=2");
      assertThat(app.call("label 2")).isEqualTo("label of [3f] runs=3");
      assertThat(app.call("label 3")).isEqualTo("label of [fffd] runs=4");
      assertThat(app.call("label 0")).as("cached").isEqualTo("label of [d800] runs=4");

      assertThat(app.call("render 1024")).isEqualTo("rendered 1024 bytes runs=5");
      assertThat(app.call("render 1024")).as("cached").isEqualTo("rendered 1024 bytes runs=5");
      assertThat(app.call("render 4194304")).isEqualTo("rendered 4194304 bytes runs=6");
      assertThat(app.call("render 4194304")).as("not worth a key").isEqualTo("rendered 4194304 bytes runs=7");
      assertThat(app.log()).contains("com.acme.keys.Catalog#render(byte[]): its key would take more than 64 KiB");
    }
  }

  @Test
  void keysNamingTheInstance_keepInstancesApart_andTheWriteOnOneEvictsOnlyItsEntries(RedisEndpoint redis) throws Exception {
    try (AppProcess app = start(redis)) {
      assertThat(app.call("quote eu 1")).isEqualTo("eu:1@v0 quotes=1 runs=0");
      assertThat(app.call("quote us 1")).as("another instance, another entry").isEqualTo("us:1@v0 quotes=2 runs=0");
      assertThat(app.call("quote eu 1")).as("cached").isEqualTo("eu:1@v0 quotes=2 runs=0");

      assertThat(app.call("reprice us 1")).isEqualTo("repriced runs=0");
      assertThat(app.call("quote us 1")).as("evicted by the write on its instance").isEqualTo("us:1@v1 quotes=3 runs=0");
      assertThat(app.call("quote eu 1")).as("the other instance's entry stays").isEqualTo("eu:1@v0 quotes=3 runs=0");

      assertThat(app.call("headline eu 1")).isEqualTo("best price in eu for 1 runs=0");
      assertThat(app.log()).contains("methods[4].method \"com.acme.keys.RegionalPrices#headline(long)\": com.acme.keys.RegionalPrices"
          + "#headline(long) reads this.region, which its key does not name: results may depend on the instance")
          .doesNotContain("RegionalPrices#quote(long) reads");
    }
  }

  @Test
  void anEvictionKeyTheDeclaredTypesCannotGive_isAnError_andItsMethodIsNotServed(RedisEndpoint redis) throws Exception {
    try (AppProcess app = start(redis)) {
      assertThat(app.call("owner 1")).isEqualTo("owner of 1 runs=1");
      assertThat(app.call("owner 1")).as("not served: any rename could make it stale").isEqualTo("owner of 1 runs=2");
      assertThat(app.log()).contains("methods[5].evictOn[0].key \"args[0].customerId\": java.lang.String has no getCustomerId(),"
          + " isCustomerId(), customerId() or field customerId; com.acme.keys.Catalog#owner(long) is not cached in this JVM");
    }
  }
}
