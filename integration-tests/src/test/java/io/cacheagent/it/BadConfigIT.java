package io.cacheagent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every malformed configuration of the agent's corpus ({@code agent/src/test/resources/bad-configs},
 * whose messages BadConfigCorpusTest pins) given to the real agent jar: the app starts, the agent
 * prints each problem and disables itself, and the app runs uncached.
 */
class BadConfigIT {

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void badConfig_appStartsAndRunsUncached_andTheLogListsEveryProblem(String fileName) throws Exception {
    Path config = corpusDir().resolve(fileName);
    List<String> expected = Files.readAllLines(corpusDir().resolve(fileName.replaceAll("\\.yaml$", ".expected")));
    try (AppProcess app = AppProcess.shop(config)) {
      app.awaitLog("cache-agent is disabled and the application runs without caching");

      assertThat(app.call("find 1")).isEqualTo("Product{1,product-1,10} queries=1");
      assertThat(app.call("find 1")).isEqualTo("Product{1,product-1,10} queries=2");
      assertThat(app.log()).contains(expected.stream().map(line -> "[cache-agent] " + line).toList())
          .contains(expected.size() + (expected.size() == 1 ? " config error;" : " config errors;"));
    }
  }

  static Stream<String> corpus() throws IOException {
    try (Stream<Path> files = Files.list(corpusDir())) {
      return files.map(p -> p.getFileName().toString()).filter(name -> name.endsWith(".yaml")).sorted().toList().stream();
    }
  }

  private static Path corpusDir() {
    return Path.of(System.getProperty("bad.configs"));
  }
}
