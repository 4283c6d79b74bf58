package io.cacheagent.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.cacheagent.testkit.RedisEndpoint;
import io.cacheagent.testkit.RedisExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The demo end to end at a small scale: two service JVMs, the real agent jar, a real Redis. */
@ExtendWith(RedisExtension.class)
class DemoIT {

  private static final Pattern RUN = Pattern.compile(
      "\\{\"mode\": \"([a-z-]+)\".*?\"dbQueriesPerRequest\": ([0-9.]+).*?\"reads\": (\\d+).*?\"staleReads\": (\\d+)");

  @TempDir
  Path out;

  @Test
  void demo_withAgent_runsFewerQueriesPerRequest_andServesNoStaleRead(RedisEndpoint redis) throws Exception {
    String json = runDemo(redis);

    assertFewerQueriesAndNoStaleRead(json);
    assertThat(json).contains("database: H2 in memory");
    assertThat(Files.readString(out.resolve("demo-report.html"))).contains("<svg", "no-agent", "agent");
  }

  /** {@code ./demo.sh --db postgres}: the service on PostgreSQL at 127.0.0.1:5432 (.ci/run starts it). */
  @Test
  void demo_onPostgres_runsFewerQueriesPerRequest_andServesNoStaleRead(RedisEndpoint redis) throws Exception {
    String json = runDemo(redis, "--db", "postgres");

    assertFewerQueriesAndNoStaleRead(json);
    assertThat(json).contains("database: PostgreSQL at 127.0.0.1:5432");
  }

  private String runDemo(RedisEndpoint redis, String... more) throws Exception {
    List<String> args = new ArrayList<>(List.of(
        "--agent", System.getProperty("cache.agent.jar"),
        "--config", System.getProperty("demo.config"),
        "--classpath", System.getProperty("demo.jar"),
        "--redis", redis.uri(),
        "--clients", "4", "--think", "20", "--warmup", "4", "--seconds", "8",
        "--out", out.toString()));
    args.addAll(List.of(more));
    DemoRunner.main(args.toArray(new String[0]));
    return Files.readString(out.resolve("demo-report.json"));
  }

  private static void assertFewerQueriesAndNoStaleRead(String json) {
    List<String[]> runs = new ArrayList<>();
    Matcher m = RUN.matcher(json);
    while (m.find()) {
      runs.add(new String[] {m.group(1), m.group(2), m.group(3), m.group(4)});
    }
    assertThat(runs).extracting(r -> r[0]).containsExactly("no-agent", "agent");
    assertThat(runs).allSatisfy(r -> assertThat(Long.parseLong(r[2])).as("reads of " + r[0]).isPositive());
    assertThat(Double.parseDouble(runs.get(1)[1])).as("database queries per request with the agent")
        .isLessThan(Double.parseDouble(runs.get(0)[1]));
    assertThat(runs).allSatisfy(r -> assertThat(r[3]).as("stale reads of " + r[0]).isEqualTo("0"));
  }
}
