package io.cacheagent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CommandTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return Command.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void help_isPrintedOnStandardOutput_andExitsZero() {
    for (String help : new String[] {"--help", "-h", "help"}) {
      out.reset();
      assertThat(run(help)).as(help).isZero();
      assertThat(out.toString(StandardCharsets.UTF_8)).as(help).startsWith("usage: java -jar cache-agent.jar attach");
    }
    assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void unknownCommand_printsTheUsageOnStandardError_andExitsTwo() {
    assertThat(run("stat", "1234")).isEqualTo(2);

    assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("usage: java -jar cache-agent.jar attach");
  }
}
