package io.cacheagent.logging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AgentSlf4jProviderTest {

  @Test
  void lettucesFailedReconnect_isSaidInTheAgentsWords_withoutNettysUnresolvedAddress() {
    String line = AgentSlf4jProvider.line("io.lettuce.core.protocol.ConnectionWatchdog",
        "Cannot reconnect to [127.0.0.1/<unresolved>:6391]: Connection refused: /127.0.0.1:6391", null);

    assertThat(line).isEqualTo("cannot reconnect to redis yet (Connection refused: /127.0.0.1:6391)");
  }

  @Test
  void otherWarnings_keepTheLoggersSimpleName_theTextAndTheCause() {
    String line = AgentSlf4jProvider.line("io.lettuce.core.RedisClient", "Something odd",
        new IllegalStateException("why"));

    assertThat(line).isEqualTo("RedisClient: Something odd (java.lang.IllegalStateException: why)");
  }
}
