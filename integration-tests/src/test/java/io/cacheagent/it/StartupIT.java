package io.cacheagent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.cacheagent.testkit.RedisEndpoint;
import io.cacheagent.testkit.RedisExtension;
import io.cacheagent.testkit.RedisServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first second of a JVM's life: a batch job that calls a cached method from {@code main}, and
 * one that writes and exits at once, as a JVM started with the agent runs them.
 */
@ExtendWith(RedisExtension.class)
class StartupIT {

  /**
   * A job over a price list in a file: "report SKU" reads one price 21 times, "set SKU PRICE" writes
   * it; "serve" answers "price SKU" and "set SKU PRICE" lines on standard input until "quit".
   */
  private static final String JOB = """
      package com.acme.batch;

      import java.io.Reader;
      import java.io.Writer;
      import java.nio.file.Files;
      import java.nio.file.Path;
      import java.util.Properties;

      public class PriceJob {
        static int runs;

        public static String price(String sku) throws Exception {
          runs++;
          Thread.sleep(40); // the query
          Properties prices = new Properties();
          try (Reader in = Files.newBufferedReader(file())) {
            prices.load(in);
          }
          return prices.getProperty(sku);
        }

        public static void setPrice(String sku, String price) throws Exception {
          Properties prices = new Properties();
          try (Reader in = Files.newBufferedReader(file())) {
            prices.load(in);
          }
          prices.setProperty(sku, price);
          try (Writer out = Files.newBufferedWriter(file())) {
            prices.store(out, null);
          }
        }

        private static Path file() {
          return Path.of(System.getProperty("prices"));
        }

        public static void main(String[] args) throws Exception {
          if (args[0].equals("report")) {
            String price = null;
            for (int i = 0; i < 21; i++) {
              price = price(args[1]);
            }
            System.out.println("price=" + price + " runs=" + runs);
          } else if (args[0].equals("serve")) {
            System.out.println("started");
            java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in));
            for (String line = in.readLine(); line != null && !line.equals("quit"); line = in.readLine()) {
              String[] words = line.split(" ");
              if (words[0].equals("set")) {
                setPrice(words[1], words[2]);
                System.out.println("set");
              } else if (words[0].equals("mbean-servers")) {
                System.out.println("mbean servers=" + javax.management.MBeanServerFactory.findMBeanServer(null).size());
              } else {
                System.out.println("price=" + price(words[1]) + " runs=" + runs);
              }
            }
          } else if (args[0].equals("set")) {
            setPrice(args[1], args[2]);
            System.out.println("set");
          } else {
            System.out.println("nothing");
          }
        }
      }
      """;

  @TempDir
  Path dir;

  private Path config;
  private Path prices;
  private String classes;

  @BeforeEach
  void writeJob(RedisEndpoint redis) throws Exception {
    config = Configs.write(dir, "job.yaml", """
        redis:
          uri: %s
          keyPrefix: startup-%d
          commandTimeout: 500ms
        methods:
          - method: com.acme.batch.PriceJob#price(String)
            evictOn:
              - method: com.acme.batch.PriceJob#setPrice(String, String)
                key: args[0]
        """.formatted(redis.uri(), System.nanoTime()));
    prices = Files.writeString(dir.resolve("prices.properties"), "A=1\n");
    Path sources = Files.createDirectories(dir.resolve("src/com/acme/batch"));
    Javac.compile(dir.resolve("classes"), null, List.of(Files.writeString(sources.resolve("PriceJob.java"), JOB)));
    classes = dir.resolve("classes").toString();
  }

  @Test
  void jobCallingACachedMethod21TimesFromMain_runsItAtMostTwice() throws Exception {
    Run report = run("report", "A");

    assertThat(report.output()).startsWith("price=1 runs=");
    assertThat(Integer.parseInt(report.output().substring("price=1 runs=".length())))
        .as("runs of the method; log:\n" + report.log()).isLessThanOrEqualTo(2);
    assertThat(report.log()).contains("com.acme.batch.PriceJob#price(java.lang.String): hits=");
  }

  @Test
  void writeMadeAtStart_byAJvmThatExitsAtOnce_isEvictedForOtherJvms() throws Exception {
    try (AppProcess reader = serve()) {
      assertThat(reader.call("price A")).isEqualTo("price=1 runs=1");
      assertThat(reader.call("price A")).as("cached").isEqualTo("price=1 runs=1");
    }

    assertThat(run("set", "A", "2").output()).isEqualTo("set");

    try (AppProcess reader = serve()) {
      assertThat(reader.call("price A")).as(reader.log()).isEqualTo("price=2 runs=1");
    }
  }

  @Test
  void writeMadeBeforeRedisFirstAnswers_isEvictedOnceItDoes_byAJvmThatNeverReads() throws Exception {
    try (RedisServer own = RedisServer.start()) {
      config = Configs.write(dir, "own.yaml", Files.readString(config).replaceAll("redis://\\S+", own.uri()));
      try (AppProcess reader = serve()) {
        assertThat(reader.call("price A")).isEqualTo("price=1 runs=1");
        assertThat(reader.call("price A")).as("cached").isEqualTo("price=1 runs=1");

        // Redis stops answering for 6 s: the writer's first connect hangs, and its eviction, after
        // waiting 2 s for that connect, is missed.
        Thread sleeper = new Thread(() -> {
          try {
            own.cli("DEBUG", "SLEEP", "6");
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
        sleeper.start();
        Thread.sleep(300);
        try (AppProcess writer = AppProcess.start(config, List.of("-Dprices=" + prices), classes,
            "com.acme.batch.PriceJob", List.of("serve"))) {
          assertThat(writer.call("set A 2")).isEqualTo("set");
          writer.awaitLog("an eviction from com.acme.batch.PriceJob#price(java.lang.String) was not written");
          sleeper.join();
          writer.awaitLog("[cache-agent] connected to");

          // The writer reads nothing; its drop must still reach Redis, so that the reader sees the write.
          String answer = null;
          for (long deadline = System.nanoTime() + 15_000_000_000L; System.nanoTime() < deadline; Thread.sleep(200)) {
            answer = reader.call("price A");
            if (answer.startsWith("price=2")) {
              break;
            }
          }
          assertThat(answer).as("writer's log:\n" + writer.log()).startsWith("price=2 ");
        }
      }
    }
  }

  @Test
  void theAgentLeavesTheApplicationsClassLoaderAndFlightRecorderAlone() throws Exception {
    Path classLog = dir.resolve("class-load.log");
    try (AppProcess app = serve("-Xlog:class+load=info:file=" + classLog)) {
      assertThat(app.call("price A")).isEqualTo("price=1 runs=1");
      assertThat(app.call("price A")).as("cached").isEqualTo("price=1 runs=1");
    }

    // Byte Buddy would define its Nexus class in the system class loader, and Lettuce's and Netty's
    // first events would initialize Flight Recorder: both cost the start CPU, for nothing.
    assertThat(Files.readString(classLog))
        .contains("io.cacheagent.shaded.lettuce.core.RedisClient ") // the agent's classes are in the log
        .doesNotContainPattern("bytebuddy\\.dynamic\\.Nexus source: __JVM_DefineClass__")
        .doesNotContain("jdk.jfr.internal.MetadataRepository ");
  }

  private AppProcess serve(String... jvmOptions) throws Exception {
    List<String> options = new ArrayList<>(List.of(jvmOptions));
    options.add("-Dprices=" + prices);
    AppProcess app = AppProcess.start(config, options, classes, "com.acme.batch.PriceJob", List.of("serve"));
    return app.awaitAgentReady(true);
  }

  @Test
  void theAgentMakesNoMBeanServerAtStart_yetTheStatsCommandFindsIt() throws Exception {
    try (AppProcess app = serve()) {
      app.call("price A");

      // Making the platform MBean server costs a start some 250 ms of CPU; a JMX client makes it.
      assertThat(app.call("mbean-servers")).isEqualTo("mbean servers=0");
      String stats = AppProcess.runToEnd(List.of(AppProcess.attachJava(), "-jar", AppProcess.agentJar(), "stats", String.valueOf(app.pid())));
      assertThat(stats).contains("JVM " + app.pid() + ": store redis").contains("com.acme.batch.PriceJob#price(java.lang.String)");
    }
  }

  @Test
  void jvmExitingBeforeTheAgentIsReady_saysSo() throws Exception {
    // A Redis that takes the connection and never answers: the job ends before the agent is ready,
    // however fast the machine connects (against a real Redis that was a race the job could lose).
    Run quick;
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      config = Configs.write(dir, "silent.yaml",
          Files.readString(config).replaceAll("redis://\\S+", "redis://127.0.0.1:" + silent.getLocalPort() + "/0"));
      quick = run("nothing");
    }

    assertThat(quick.output()).isEqualTo("nothing");
    assertThat(quick.log()).containsPattern("\\[cache-agent\\] the JVM exits \\d+ ms after the agent started, before the"
        + " agent had (instrumented the configured classes|a connection to its store \\(redis redis://\\S+ \\(command"
        + " timeout 500ms\\)\\)): configured methods called until then ran uncached, and the entries that writes in that"
        + " time made stale were not evicted");
  }

  @Test
  void jvmExitingAfterTheAgentIsReady_saysNothingOfIt() throws Exception {
    Run report = run("report", "A");

    assertThat(report.log()).contains("[cache-agent] connected to").doesNotContain("the JVM exits");
  }

  private record Run(String output, String log) {}

  private Run run(String... args) throws Exception {
    try (AppProcess job = AppProcess.start(config, List.of("-Dprices=" + prices), classes, "com.acme.batch.PriceJob",
        List.of(args))) {
      String output = job.nextLine();
      assertThat(job.waitForExit()).as(job.log()).isZero();
      return new Run(output, job.log());
    }
  }
}
