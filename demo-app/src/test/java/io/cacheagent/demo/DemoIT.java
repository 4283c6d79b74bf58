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

/** The demo end to end at a small scale: a service JVM per mode, the real agent jar, a real Redis. */
@ExtendWith(RedisExtension.class)
class DemoIT {

  private static final Pattern RUN = Pattern.compile(
      "\\{\"mode\": \"([a-z-]+)\".*?\"dbQueriesPerRequest\": ([0-9.]+).*?\"reads\": (\\d+).*?\"staleReads\": (\\d+), \"nearHits\": (\\d+)");

  @TempDir
  Path out;

  @Test
  void demo_withAgent_andANearCache_runsFewerQueriesPerRequest_andServesNoStaleRead(RedisEndpoint redis) throws Exception {
    String json = runDemo(redis);

    List<String[]> runs = assertFewerQueriesAndNoStaleRead(json, "no-agent", "agent", "near-cache");
    assertThat(Long.parseLong(runs.get(2)[4])).as("hits served from copies in the near-cache run").isPositive();
    assertThat(Long.parseLong(runs.get(1)[4])).as("near hits without a near cache").isZero();
    assertThat(json).contains("database: H2 in memory");
    assertThat(Files.readString(out.resolve("demo-report.html"))).contains("<svg", "no-agent", "agent", "near-cache");
  }

  /** {@code ./demo.sh --db postgres}: the service on PostgreSQL at 127.0.0.1:5432 (.ci/run starts it). */
  @Test
  void demo_onPostgres_runsFewerQueriesPerRequest_andServesNoStaleRead(RedisEndpoint redis) throws Exception {
    String json = runDemo(redis, "--db", "postgres", "--near-cache", "false");

    assertFewerQueriesAndNoStaleRead(json, "no-agent", "agent");
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

  /** The runs of {@code modes}, each as mode, queries per request, reads, stale reads, near hits. */
  private static List<String[]> assertFewerQueriesAndNoStaleRead(String json, String... modes) {
    List<String[]> runs = new ArrayList<>();
    Matcher m = RUN.matcher(json);
    while (m.find()) {
      runs.add(new String[] {m.group(1), m.group(2), m.group(3), m.group(4), m.group(5)});
    }
    assertThat(runs).extracting(r -> r[0]).containsExactly(modes);
    assertThat(runs).allSatisfy(r -> assertThat(Long.parseLong(r[2])).as("reads of " + r[0]).isPositive());
    for (String[] withAgent : runs.subList(1, runs.size())) {
      assertThat(Double.parseDouble(withAgent[1])).as("database queries per request, " + withAgent[0])
          .isLessThan(Double.parseDouble(runs.get(0)[1]));
    }
    assertThat(runs).allSatisfy(r -> assertThat(r[3]).as("stale reads of " + r[0]).isEqualTo("0"));
    return runs;
  }
}
