package io.cacheagent.config;

import io.cacheagent.jdk.Immutable;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import lombok.Value;

/**
 * A method named in the configuration: {@code com.acme.Repo#find(long, java.lang.String)}, or
 * {@code com.acme.Repo#find} for every overload.
 */
@Value
public class MethodSignature {

  /** Binary name of the declaring class ({@code Outer$Inner} for nested classes). */
  String className;
  /** The method's name. */
  String methodName;
  /**
   * Java source names ({@code long}, {@code int[]}, {@code java.lang.String}), or {@code null} when
   * the signature names no parameter list and so matches every overload.
   */
  List<String> parameterTypes;

  private static final Pattern SIGNATURE =
      Pattern.compile("([\\p{L}_$][\\p{L}\\p{N}_$]*(?:\\.[\\p{L}_$][\\p{L}\\p{N}_$]*)*)"
          + "#([\\p{L}_$][\\p{L}\\p{N}_$]*)(?:\\((.*)\\))?");
  private static final Pattern TYPE =
      Pattern.compile("([\\p{L}_$][\\p{L}\\p{N}_$]*(?:\\.[\\p{L}_$][\\p{L}\\p{N}_$]*)*)((?:\\[\\])*)");
  private static final Set<String> PRIMITIVES =
      Immutable.setOf("boolean", "byte", "char", "short", "int", "long", "float", "double");
  private static final Set<String> JAVA_LANG =
      Immutable.setOf("String", "Object", "Integer", "Long", "Short", "Byte", "Character", "Boolean",
          "Double", "Float", "Number", "CharSequence", "Class", "Enum", "Iterable", "Comparable",
          "StringBuilder", "Void", "Record", "Runnable", "Thread", "Throwable");

  /**
   * Parses a signature; throws {@link IllegalArgumentException} with the reason, worded for the
   * operator.
   */
  public static MethodSignature parse(String text) {
    Matcher m = SIGNATURE.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("is not a signature");
    }
    String params = m.group(3);
    if (params == null) {
      return new MethodSignature(m.group(1), m.group(2), null);
    }
    if (params.trim().isEmpty()) {
      return new MethodSignature(m.group(1), m.group(2), Immutable.listOf());
    }
    String[] parts = params.split(",", -1);
    String[] types = new String[parts.length];
    for (int i = 0; i < parts.length; i++) {
      types[i] = normalizeType(parts[i].trim());
    }
    return new MethodSignature(m.group(1), m.group(2), Immutable.listOf(types));
  }

  private static String normalizeType(String type) {
    if (type.indexOf('<') >= 0) {
      throw new IllegalArgumentException(
          "has type arguments in parameter \"" + type + "\"; name the raw type, e.g. java.util.List");
    }
    Matcher m = TYPE.matcher(type);
    if (!m.matches()) {
      throw new IllegalArgumentException("has a parameter type \"" + type + "\" that is not a type name");
    }
    String name = m.group(1);
    if (PRIMITIVES.contains(name) || name.indexOf('.') > 0) {
      return type;
    }
    if (JAVA_LANG.contains(name)) {
      return "java.lang." + name + m.group(2);
    }
    throw new IllegalArgumentException("has a parameter type \"" + type
        + "\" that is not fully qualified; use the package name, e.g. com.acme." + name);
  }

  /** Whether this signature names its parameter types (and so exactly one method). */
  public boolean hasParameterList() {
    return parameterTypes != null;
  }

  /**
   * Whether this signature names the concrete method with this canonical name, e.g. {@code
   * com.acme.Repo#find(long)}: the same, or every overload of that name when it lists no parameters.
   */
  public boolean covers(String canonicalName) {
    return parameterTypes != null
        ? toString().equals(canonicalName)
        : canonicalName.startsWith(className + '#' + methodName + '(');
  }

  /** The canonical text: {@code com.acme.Repo#find(long,java.lang.String)}. */
  @Override
  public String toString() {
    return parameterTypes == null
        ? className + '#' + methodName
        : className + '#' + methodName + '(' + String.join(",", parameterTypes) + ')';
  }
}
