package io.cacheagent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Specifies what an operator reads for a malformed configuration: every {@code NN-name.yaml} under
 * the test resource directory {@code bad-configs/} is rejected, and {@link ConfigException#problems()}
 * is exactly the lines of its {@code NN-name.expected} twin, in order.
 */
class BadConfigCorpusTest {

  private static final String YAML = ".yaml";
  private static final String EXPECTED = ".expected";

  @ParameterizedTest(name = "{0}")
  @MethodSource("badConfigs")
  void parse_badConfig_reportsExactlyTheExpectedProblems(String fileName) throws IOException, URISyntaxException {
    Path corpus = corpus();
    String yaml = Files.readString(corpus.resolve(fileName));
    List<String> expected = Files.readAllLines(corpus.resolve(twinOf(fileName, YAML, EXPECTED)));

    ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(fileName, yaml, Map.of()));

    assertThat(e).as("%s must be rejected", fileName).isNotNull();
    assertThat(e.problems()).as(fileName).containsExactlyElementsOf(expected);
  }

  @Test
  void corpus_holdsAtLeast40Files_eachYamlWithItsExpectedAndViceVersa() throws IOException, URISyntaxException {
    List<String> yamlFiles = filesEndingWith(YAML);
    List<String> expectedFiles = filesEndingWith(EXPECTED);

    assertThat(yamlFiles).hasSizeGreaterThanOrEqualTo(40);
    assertThat(expectedFiles)
        .containsExactlyElementsOf(yamlFiles.stream().map(f -> twinOf(f, YAML, EXPECTED)).toList());
  }

  static Stream<String> badConfigs() throws IOException, URISyntaxException {
    return filesEndingWith(YAML).stream();
  }

  private static List<String> filesEndingWith(String suffix) throws IOException, URISyntaxException {
    try (Stream<Path> files = Files.list(corpus())) {
      return files.map(p -> p.getFileName().toString()).filter(name -> name.endsWith(suffix)).sorted().toList();
    }
  }

  private static Path corpus() throws URISyntaxException {
    URL directory = BadConfigCorpusTest.class.getResource("/bad-configs");
    assertThat(directory).as("test resource directory bad-configs").isNotNull();
    return Path.of(directory.toURI());
  }

  private static String twinOf(String fileName, String suffix, String twinSuffix) {
    return fileName.substring(0, fileName.length() - suffix.length()) + twinSuffix;
  }
}
