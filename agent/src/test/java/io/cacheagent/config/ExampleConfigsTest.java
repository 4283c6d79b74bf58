package io.cacheagent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The example files under config/ are what operators copy: each must load without an error. */
class ExampleConfigsTest {

  @Test
  void everyExampleUnderConfig_loads() throws Exception {
    List<Path> examples;
    try (Stream<Path> files = Files.list(Path.of("..", "config"))) {
      examples = files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertThat(examples).isNotEmpty();
    for (Path example : examples) {
      AgentConfig config = ConfigLoader.load(example, Map.of());
      assertThat(config.methods()).as(example.toString()).isNotEmpty();
    }
  }
}
