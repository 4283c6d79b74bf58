package io.cacheagent.logging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AgentLogTest {

  @Test
  void oneLine_textFromOutsideCannotForgeALineOrDriveTheTerminal() {
    String planted = "com.acme.Evil\n[cache-agent] ready: all is well\r\u001b[2J\u2028x";

    assertThat(AgentLog.oneLine("an entry names class " + planted))
        .isEqualTo("an entry names class com.acme.Evil?[cache-agent] ready: all is well??[2J?x");
    assertThat(AgentLog.oneLine("plain")).isSameAs("plain");
  }
}
