package io.cacheagent.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cacheagent.testkit.RedisServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The outage run at a small scale: the catalog service with the agent while its Redis is killed and restarted. */
class OutageIT {

  @TempDir
  Path out;

  @Test
  void redisKilledUnderLoad_noRequestFails_noReadIsStale_andCachingResumes() throws Exception {
    assumeTrue(RedisServer.isInstalled(), "the outage run starts its own redis-server");
    OutageRunner.main(new String[] {
        "--agent", System.getProperty("cache.agent.jar"),
        "--config", System.getProperty("demo.config"),
        "--classpath", System.getProperty("demo.jar"),
        "--clients", "4", "--think", "20", "--warmup", "3", "--seconds", "14", "--down-at", "4", "--down-for", "4",
        "--out", out.toString()});

    String json = Files.readString(out.resolve("outage-report.json"));
    assertThat(number(json, "requests")).isPositive();
    assertThat(number(json, "failed")).isZero();
    assertThat(number(json, "staleReads")).isZero();
    assertThat(number(json, "secondsToResume")).as("seconds from Redis's return until caching served again")
        .isBetween(0.0, 6.0);
  }

  @Test
  void clusterMasterKilledUnderLoad_noRequestFails_noReadIsStale_andCachingResumesAfterThePromotion() throws Exception {
    // The slots of the dead master are not read from its replica until every JVM knows of the
    // promotion and their entries are dropped (about 10 s after the promotion): the run is longer.
    masterKilledUnderLoad("cluster", 32, 25);
  }

  @Test
  void sentinelMasterKilledUnderLoad_noRequestFails_noReadIsStale_andCachingResumesAfterThePromotion() throws Exception {
    masterKilledUnderLoad("sentinel", 20, 12);
  }

  private void masterKilledUnderLoad(String topology, int seconds, double resumedWithin) throws Exception {
    assumeTrue(RedisServer.isInstalled(), "the outage run starts its own redis-server processes");
    OutageRunner.main(new String[] {
        "--agent", System.getProperty("cache.agent.jar"),
        "--config", System.getProperty("demo.config"),
        "--classpath", System.getProperty("demo.jar"),
        "--topology", topology,
        "--clients", "4", "--think", "20", "--warmup", "3", "--seconds", String.valueOf(seconds), "--down-at", "4", "--down-for", "10",
        "--out", out.toString()});

    String json = Files.readString(out.resolve("outage-report.json"));
    assertThat(number(json, "requests")).isPositive();
    assertThat(number(json, "failed")).isZero();
    assertThat(number(json, "staleReads")).isZero();
    assertThat(number(json, "secondsToResume")).as("seconds from the master's death until caching served again")
        .isBetween(0.0, resumedWithin);
  }

  private static double number(String json, String field) {
    Matcher m = Pattern.compile("\"" + field + "\": (-?[0-9.]+)").matcher(json);
    assertThat(m.find()).as(field + " in " + json).isTrue();
    return Double.parseDouble(m.group(1));
  }
}
