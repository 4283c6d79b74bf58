package io.cacheagent.key;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A key expression of the configuration: {@code args[N]} followed by any chain of {@code .name}.
 * Parsed once; each property is resolved once per concrete class (see {@link PropertyReader}).
 */
public final class KeyExpression {

  /** What an operator may write, for error messages. */
  public static final String ACCEPTED = "use args[0], or a property chain such as args[0].id or args[1].customer.id";

  private static final Pattern SYNTAX = Pattern.compile("args\\[(\\d{1,3})\\]((?:\\.[\\p{L}_$][\\p{L}\\p{N}_$]*)*)");

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
    Matcher m = SYNTAX.matcher(text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException("is not a key expression");
    }
    List<PropertyReader> path = new ArrayList<>();
    for (String name : m.group(2).split("\\.")) {
      if (!name.isEmpty()) {
        path.add(new PropertyReader(name));
      }
    }
    return new KeyExpression(text.strip(), Integer.parseInt(m.group(1)), path.toArray(new PropertyReader[0]));
  }

  /** The index {@code N} of {@code args[N]}. */
  public int argumentIndex() {
    return argumentIndex;
  }

  /** Whether the expression is a bare argument, without properties. */
  public boolean isBareArgument() {
    return path.length == 0;
  }

  /** Evaluates against a call's arguments; a {@code null} along the chain yields {@code null}. */
  public Object evaluate(Object[] args) throws UnstableArgumentException {
    if (argumentIndex >= args.length) {
      throw new UnstableArgumentException(text + " names argument " + argumentIndex + " but the method has " + args.length);
    }
    Object value = args[argumentIndex];
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
