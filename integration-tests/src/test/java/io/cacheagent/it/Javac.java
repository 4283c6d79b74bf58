package io.cacheagent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.ToolProvider;

/**
 * Compiles applications that tests keep as sources (under src/test/resources, or written by the
 * test), so that their classes are on no class path but the one the test gives them.
 */
final class Javac {

  private Javac() {}

  /** Compiles {@code sources} into {@code out}, against {@code classpath} (or none); fails the test on any error. */
  static void compile(Path out, String classpath, List<Path> sources) throws IOException {
    compile(out, classpath, sources, List.of());
  }

  /** The same, with more javac {@code options} (such as {@code --release 8}). */
  static void compile(Path out, String classpath, List<Path> sources, List<String> options) throws IOException {
    List<String> arguments = new ArrayList<>(options);
    arguments.addAll(List.of("-d", Files.createDirectories(out).toString()));
    if (classpath != null) {
      arguments.addAll(List.of("-cp", classpath));
    }
    sources.forEach(source -> arguments.add(source.toString()));
    assertThat(ToolProvider.getSystemJavaCompiler().run(null, null, null, arguments.toArray(String[]::new)))
        .as("javac " + arguments).isZero();
  }

  /** Compiles every {@code .java} file under the test resource directory {@code resource} into {@code out}. */
  static void compileResources(String resource, Path out, String classpath) throws IOException, URISyntaxException {
    compileResources(resource, out, classpath, List.of());
  }

  /** The same, with more javac {@code options}. */
  static void compileResources(String resource, Path out, String classpath, List<String> options)
      throws IOException, URISyntaxException {
    Path sources = Path.of(Javac.class.getResource(resource).toURI());
    List<Path> files;
    try (Stream<Path> walk = Files.walk(sources)) {
      files = walk.filter(f -> f.toString().endsWith(".java")).toList();
    }
    compile(out, classpath, files, options);
  }
}
