package io.cacheagent;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The package rule of docs/architecture.md, checked on the agent's compiled classes, and the size of its files. */
class ArchitectureTest {

  /**
   * The agent's packages from the bottom up: a package uses only packages of the layers below its
   * own, never one beside it or above. Keep docs/architecture.md in step.
   */
  static final List<List<String>> LAYERS = List.of(
      List.of("secret", "jdk"),
      List.of("bootstrap", "logging", "threads", "key", "codec"),
      List.of("config"),
      List.of("store"),
      List.of("runtime"),
      List.of("instrument"),
      List.of("jmx", "metrics"),
      List.of("startup"),
      List.of("cli"));

  /** The agent's main classes (target/classes), not the tests' nor the testkit's. */
  private static final JavaClasses AGENT = new ClassFileImporter()
      .importUrl(CacheAgent.class.getProtectionDomain().getCodeSource().getLocation());

  @Test
  void eachPackageUsesOnlyThePackagesOfTheLayersBelowIt() {
    for (int layer = 0; layer < LAYERS.size(); layer++) {
      for (String pkg : LAYERS.get(layer)) {
        List<String> notBelow = new ArrayList<>();
        for (List<String> above : LAYERS.subList(layer, LAYERS.size())) {
          for (String other : above) {
            if (!other.equals(pkg)) {
              notBelow.add("io.cacheagent." + other + "..");
            }
          }
        }
        noClasses().that().resideInAPackage("io.cacheagent." + pkg + "..")
            .should().dependOnClassesThat().resideInAnyPackage(notBelow.toArray(String[]::new))
            .because(pkg + " is in layer " + layer + " of ArchitectureTest.LAYERS")
            .check(AGENT);
      }
    }
  }

  @Test
  void everyPackageIsInALayer_andNoPackagesDependOnEachOtherInACycle() {
    List<String> layered = LAYERS.stream().flatMap(List::stream).map(pkg -> "io.cacheagent." + pkg + "..").toList();
    classes().that().resideOutsideOfPackage("io.cacheagent")
        .should().resideInAnyPackage(layered.toArray(String[]::new))
        .check(AGENT);
    slices().matching("io.cacheagent.(*)..").should().beFreeOfCycles().check(AGENT);
  }

  @Test
  void noSourceFileIsLongerThan400Lines() throws IOException {
    // A longer one does more than one job: split it along them.
    try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
      List<String> tooLong = files.filter(file -> file.toString().endsWith(".java"))
          .filter(file -> lineCount(file) > 400)
          .map(file -> file + ": " + lineCount(file) + " lines")
          .toList();
      assertThat(tooLong).isEmpty();
    }
  }

  private static long lineCount(Path file) {
    try (Stream<String> lines = Files.lines(file)) {
      return lines.count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void theLauncherAndTheBootstrapBridgeUseOnlyTheJdk() {
    // The launcher runs in the application's class loader before the isolated one exists, and the
    // bridge is on the bootstrap class path: neither may see the agent's other classes or libraries.
    classes().that().resideInAPackage("io.cacheagent")
        .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "io.cacheagent")
        .check(AGENT);
    classes().that().resideInAPackage("io.cacheagent.bootstrap")
        .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "io.cacheagent.bootstrap")
        .check(AGENT);
  }
}
