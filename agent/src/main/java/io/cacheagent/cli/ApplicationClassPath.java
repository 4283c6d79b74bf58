package io.cacheagent.cli;

import io.cacheagent.jdk.Immutable;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import lombok.Value;

/**
 * The directories and jars that the {@code check} command reads classes from, as an operator gives
 * them: a class path ({@code classes:lib/a.jar}), with wildcards ({@code lib/*}, as {@code java -cp}
 * takes them, or {@code lib/*.jar}), and application archives whose classes sit under a prefix:
 * a Spring Boot executable jar ({@code BOOT-INF/classes}, {@code BOOT-INF/lib/*.jar}) or a WAR
 * ({@code WEB-INF/classes}, {@code WEB-INF/lib/*.jar}). Those are unpacked into a temporary
 * directory, deleted by {@link #close}, since nested jars cannot be read in place.
 */
final class ApplicationClassPath implements AutoCloseable {

  /** An archive layout: where its classes and its libraries are. */
  @Value
  private static class Layout {
    String kind;
    String classes;
    String lib;
  }

  private static final List<Layout> LAYOUTS = Immutable.listOf(
      new Layout("Spring Boot jar", "BOOT-INF/classes/", "BOOT-INF/lib/"),
      new Layout("WAR", "WEB-INF/classes/", "WEB-INF/lib/"));

  private final List<Path> entries = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private Path unpacked;

  private ApplicationClassPath() {}

  /** Reads {@code classPath}, entries separated by the platform's path separator. */
  static ApplicationClassPath of(String classPath) throws IOException {
    ApplicationClassPath result = new ApplicationClassPath();
    try {
      for (String entry : classPath.split(File.pathSeparator)) {
        if (!entry.trim().isEmpty()) {
          result.add(entry.trim());
        }
      }
    } catch (IOException | RuntimeException e) {
      result.close();
      throw e;
    }
    return result;
  }

  /** The directories and plain jars to read classes from. */
  List<Path> entries() {
    return Immutable.listCopy(entries);
  }

  /** One line per archive unpacked or wildcard expanded, saying what was read. */
  List<String> notes() {
    return Immutable.listCopy(notes);
  }

  private void add(String entry) throws IOException {
    if (entry.endsWith("*") || entry.endsWith("*.jar")) {
      Path dir = Paths.get(entry.substring(0, entry.lastIndexOf('*'))).toAbsolutePath().normalize();
      List<Path> jars = new ArrayList<>();
      if (Files.isDirectory(dir)) {
        try (DirectoryStream<Path> found = Files.newDirectoryStream(dir, "*.{jar,JAR}")) {
          found.forEach(jars::add);
        }
      }
      jars.sort(Comparator.naturalOrder());
      notes.add(entry + ": " + jars.size() + (jars.size() == 1 ? " jar" : " jars"));
      for (Path jar : jars) {
        addFile(jar);
      }
      return;
    }
    addFile(Paths.get(entry));
  }

  private void addFile(Path path) throws IOException {
    if (!Files.exists(path)) {
      notes.add(path + ": not found, ignored (as java -cp ignores it)");
      return;
    }
    if (Files.isDirectory(path) || !Files.isRegularFile(path)) {
      entries.add(path);
      return;
    }
    try (ZipFile archive = new ZipFile(path.toFile())) {
      for (Layout layout : LAYOUTS) {
        if (hasEntryUnder(archive, layout.classes())) {
          unpack(path, archive, layout);
          return;
        }
      }
    } catch (java.util.zip.ZipException notAnArchive) {
      notes.add(path + ": not a jar, ignored (as java -cp ignores it)");
      return;
    }
    entries.add(path);
  }

  private static boolean hasEntryUnder(ZipFile archive, String prefix) {
    return archive.stream().anyMatch(e -> e.getName().startsWith(prefix));
  }

  /** Copies the archive's classes into a directory and its libraries into jars of their own. */
  private void unpack(Path path, ZipFile archive, Layout layout) throws IOException {
    if (unpacked == null) {
      unpacked = Files.createTempDirectory("cache-agent-check");
    }
    Path root = Files.createTempDirectory(unpacked, path.getFileName().toString());
    Path classes = root.resolve("classes");
    Path lib = root.resolve("lib");
    Files.createDirectories(classes);
    Files.createDirectories(lib);
    List<Path> libraries = new ArrayList<>();
    for (Enumeration<? extends ZipEntry> all = archive.entries(); all.hasMoreElements(); ) {
      ZipEntry entry = all.nextElement();
      String name = entry.getName();
      if (entry.isDirectory()) {
        continue;
      }
      if (name.startsWith(layout.classes()) && name.endsWith(".class")) {
        copy(archive, entry, classes, name.substring(layout.classes().length()));
      } else if (name.startsWith(layout.lib()) && name.endsWith(".jar") && name.indexOf('/', layout.lib().length()) < 0) {
        libraries.add(copy(archive, entry, lib, name.substring(layout.lib().length())));
      }
    }
    libraries.sort(Comparator.naturalOrder());
    entries.add(classes);
    entries.addAll(libraries);
    notes.add(path + ": a " + layout.kind() + ", read from " + layout.classes() + " and " + libraries.size()
        + (libraries.size() == 1 ? " jar" : " jars") + " in " + layout.lib());
  }

  /** Copies one entry to {@code relative} under {@code dir}, refusing names that would leave it. */
  private static Path copy(ZipFile archive, ZipEntry entry, Path dir, String relative) throws IOException {
    Path target = dir.resolve(relative).normalize();
    if (!target.startsWith(dir)) {
      throw new IOException(entry.getName() + " would be written outside " + dir);
    }
    Files.createDirectories(target.getParent());
    try (InputStream in = archive.getInputStream(entry)) {
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    }
    return target;
  }

  @Override
  public void close() throws IOException {
    if (unpacked == null) {
      return;
    }
    try (Stream<Path> files = Files.walk(unpacked)) {
      files.sorted(Comparator.reverseOrder()).forEach(file -> {
        try {
          Files.deleteIfExists(file);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
