package io.cacheagent.key;

import io.cacheagent.jdk.Immutable;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A key expression of the configuration: {@code args[N]} followed by any chain of {@code .name},
 * or {@code this} followed by at least one, for state of the instance the method is called on
 * ({@code this.region}). Parsed once; each property is resolved once per concrete class (see
 * {@link PropertyReader}).
 */
public final class KeyExpression {

  /** What an operator may write, for error messages. */
  public static final String ACCEPTED =
      "use args[0], or a property chain such as args[0].id, args[1].customer.id or this.region";

  private static final String CHAIN = "((?:\\.[\\p{L}_$][\\p{L}\\p{N}_$]*)*)";
  private static final Pattern SYNTAX = Pattern.compile("(?:args\\[(\\d{1,3})\\]|(this))" + CHAIN);

  /** {@link #argumentIndex} of an expression that starts at {@code this}. */
  private static final int INSTANCE = -1;

  private final String text;
  private final int argumentIndex;
  private final PropertyReader[] path;

  private KeyExpression(String text, int argumentIndex, PropertyReader[] path) {
    this.text = text;
    this.argumentIndex = argumentIndex;
    this.path = path;
  }

  /** Parses an expression; throws {@link IllegalArgumentException} when it is not one. */
  public static KeyExpression parse(String text) {
    Matcher m = SYNTAX.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("is not a key expression");
    }
    List<PropertyReader> path = new ArrayList<>();
    for (String name : m.group(3).split("\\.")) {
      if (!name.isEmpty()) {
        path.add(new PropertyReader(name));
      }
    }
    if (m.group(2) != null && path.isEmpty()) {
      // The instance itself is rarely a value: its class seldom defines equality, so its text
      // would be its identity, different in every JVM.
      throw new IllegalArgumentException("names the instance but none of its state; name the fields that make its answers"
          + " differ, such as this.region");
    }
    int index = m.group(2) != null ? INSTANCE : Integer.parseInt(m.group(1));
    return new KeyExpression(text.trim(), index, path.toArray(new PropertyReader[0]));
  }

  /** The index {@code N} of {@code args[N]}; meaningless when it {@link #startsAtInstance}. */
  public int argumentIndex() {
    return argumentIndex;
  }

  /** Whether the expression starts at {@code this}, the instance the method is called on. */
  public boolean startsAtInstance() {
    return argumentIndex == INSTANCE;
  }

  /** The first property of the chain ({@code region} of {@code this.region.code}), or {@code null}. */
  public String firstProperty() {
    return path.length == 0 ? null : path[0].name();
  }

  /** The properties of the chain, in order ({@code region, code} of {@code this.region.code}). */
  public List<String> properties() {
    List<String> names = new ArrayList<>(path.length);
    for (PropertyReader step : path) {
      names.add(step.name());
    }
    return names;
  }

  /**
   * The no-argument methods a property is read from, in the order tried: {@code getName},
   * {@code isName}, {@code name}; then the field {@code name}.
   */
  public static List<String> accessorMethods(String property) {
    String capitalized = Character.toUpperCase(property.charAt(0)) + property.substring(1);
    return Immutable.listOf("get" + capitalized, "is" + capitalized, property);
  }

  /** What a property is read from, in the order tried: {@code getName(), isName(), name() or field name}. */
  public static String accessorsOf(String property) {
    List<String> methods = accessorMethods(property);
    return methods.get(0) + "(), " + methods.get(1) + "(), " + methods.get(2) + "() or field " + property;
  }

  /** Whether the expression is a bare argument, without properties. */
  public boolean isBareArgument() {
    return path.length == 0;
  }

  /**
   * Evaluates against a call: the instance it was made on ({@code null} for a static method) and its
   * arguments; a {@code null} along the chain yields {@code null}.
   */
  public Object evaluate(Object self, Object[] args) throws UnstableArgumentException {
    Object value;
    if (argumentIndex == INSTANCE) {
      if (self == null) {
        throw new UnstableArgumentException(text + " names the instance, but the method is static");
      }
      value = self;
    } else if (argumentIndex >= args.length) {
      throw new UnstableArgumentException(text + " names argument " + argumentIndex + " but the method has " + args.length);
    } else {
      value = args[argumentIndex];
    }
    for (PropertyReader step : path) {
      if (value == null) {
        return null;
      }
      value = step.read(value, text);
    }
    return value;
  }

  @Override
  public String toString() {
    return text;
  }
}
