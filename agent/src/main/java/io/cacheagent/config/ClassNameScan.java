package io.cacheagent.config;

import io.cacheagent.jdk.Immutable;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The classes a configuration text may name, found without parsing it: every {@code name#} in the
 * text, in the JVM's internal form ({@code com/acme/Repo}).
 *
 * <p>This runs in {@code premain}, where the full parse (SnakeYAML, then every rule) would cost the
 * application some 150 ms before {@code main}. The result is a superset of the classes the parsed
 * configuration names (a comment or a mistyped signature only adds names), so that a class absent
 * from it can be let through at once. Classes that only implement a configured interface are not in
 * it: they are found by the full configuration.
 */
public final class ClassNameScan {

  private static final Pattern CLASS_BEFORE_HASH =
      Pattern.compile("([\\p{L}_$][\\p{L}\\p{N}_$]*(?:\\.[\\p{L}_$][\\p{L}\\p{N}_$]*)*)#");

  private ClassNameScan() {}

  /** The internal names of every class named before a {@code #} in {@code yaml}. */
  public static Set<String> internalNames(String yaml) {
    Set<String> names = new HashSet<>();
    Matcher m = CLASS_BEFORE_HASH.matcher(yaml);
    while (m.find()) {
      names.add(m.group(1).replace('.', '/'));
    }
    return Immutable.setCopy(names);
  }
}
