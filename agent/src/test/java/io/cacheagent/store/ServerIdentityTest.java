package io.cacheagent.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServerIdentityTest {

  @Test
  void runIdIn_readsTheLineOfInfoServer() {
    String info = "# Server\r\nredis_version:7.0.15\r\nredis_mode:standalone\r\n"
        + "run_id:3f1c2a9b8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a\r\ntcp_port:6379\r\n";

    assertThat(ServerIdentity.runIdIn(info)).isEqualTo("3f1c2a9b8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a");
  }

  @Test
  void runIdIn_isNullWhenAbsent() {
    assertThat(ServerIdentity.runIdIn("# Server\r\nredis_version:7.0.15\r\n")).isNull();
  }
}
