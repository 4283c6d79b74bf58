package io.cacheagent.instrument;

import io.cacheagent.config.EvictRule;
import io.cacheagent.config.MethodRule;
import io.cacheagent.jdk.Immutable;
import io.cacheagent.key.KeyExpression;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.bytebuddy.description.field.FieldDescription;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;

/**
 * Tells, from declared types alone, when an eviction's key can never be computed or can never match
 * the cached method's key: {@code args[0].customerId} where {@code args[0]} is a {@code String};
 * a chain that yields a {@code String} where the cached method is keyed by a {@code long}. Such an
 * eviction would evict nothing, or drop every entry on each write; the operator must hear of it
 * before the first stale read, not after.
 *
 * <p>Only a final type (a {@code String}, a record, a primitive) can show that a property is
 * missing: a subclass of any other type may have it, so those are left to run time (where a key
 * that cannot be computed drops every entry of the method).
 */
final class EvictionKeyCheck {

  private static final Map<String, String> UNBOXED = Immutable.mapOf(
      "java.lang.Boolean", "boolean", "java.lang.Character", "char", "java.lang.Byte", "byte",
      "java.lang.Short", "short", "java.lang.Integer", "int", "java.lang.Long", "long",
      "java.lang.Float", "float", "java.lang.Double", "double");
  private static final Set<String> INTEGRAL = Immutable.setOf("byte", "short", "int", "long", "java.math.BigInteger");
  /** Cached key types whose values no other final type can equal. */
  private static final Set<String> CLOSED_KEY_TYPES = Immutable.setOf("boolean", "char", "byte", "short", "int", "long", "float",
      "double", "java.lang.String", "java.math.BigInteger", "java.math.BigDecimal", "java.util.UUID");

  private EvictionKeyCheck() {}

  /**
   * Why {@code eviction}, run by {@code write} (a method of {@code type}), can never evict an entry
   * of {@code cached}, or {@code null} when the declared types do not show that.
   */
  static String problem(TypeDescription type, MethodDescription write, EvictRule eviction, MethodRule cached) {
    if (eviction.all()) {
      return null;
    }
    try {
      int parts = eviction.key() != null ? eviction.key().size() : write.getParameters().size();
      for (int part = 0; part < parts; part++) {
        String problem = partProblem(type, write, eviction, cached, part);
        if (problem != null) {
          return problem;
        }
      }
    } catch (RuntimeException | LinkageError unresolvable) {
      // a type that cannot be read shows nothing; run time decides
    }
    return null;
  }

  private static String partProblem(TypeDescription type, MethodDescription write, EvictRule eviction, MethodRule cached,
      int part) {
    String text;
    TypeDescription value;
    if (eviction.key() == null) {
      text = "args[" + part + "]";
      value = write.getParameters().get(part).getType().asErasure();
    } else {
      KeyExpression expression = eviction.key().get(part);
      text = expression.toString();
      if (expression.startsAtInstance()) {
        if (write.isStatic()) {
          return "\"" + text + "\" names the instance, but " + InstrumentationPlan.canonicalName(type, write) + " is static";
        }
        value = type;
      } else if (expression.argumentIndex() >= write.getParameters().size()) {
        return "\"" + text + "\" names argument " + expression.argumentIndex() + " but "
            + InstrumentationPlan.canonicalName(type, write) + " has " + write.getParameters().size();
      } else {
        value = write.getParameters().get(expression.argumentIndex()).getType().asErasure();
      }
      for (String property : expression.properties()) {
        TypeDescription next = propertyType(value, property);
        if (next == null) {
          return isClosed(value)
              ? "\"" + text + "\": " + value.getActualName() + " has no " + KeyExpression.accessorsOf(property)
              : null; // a subclass may have it
        }
        value = next;
      }
    }
    String keyType = cachedPartType(cached, part);
    if (keyType == null || !isClosed(value) || canEqual(value.getActualName(), keyType)) {
      return null;
    }
    return "\"" + text + "\" yields " + value.getActualName() + ", but part " + (part + 1) + " of the key of "
        + cached.signature() + " is " + keyType + ": they can never be equal";
  }

  /** The declared type of part {@code part} of the cached method's key, or {@code null} when a chain makes it unknown. */
  private static String cachedPartType(MethodRule cached, int part) {
    List<String> parameters = cached.signature().parameterTypes();
    if (parameters == null) {
      return null;
    }
    if (cached.key() == null) {
      return part < parameters.size() ? parameters.get(part) : null;
    }
    if (part >= cached.key().size()) {
      return null;
    }
    KeyExpression expression = cached.key().get(part);
    return expression.isBareArgument() && expression.argumentIndex() < parameters.size()
        ? parameters.get(expression.argumentIndex())
        : null;
  }

  private static boolean canEqual(String valueType, String keyType) {
    String value = UNBOXED.getOrDefault(valueType, valueType);
    String key = UNBOXED.getOrDefault(keyType, keyType);
    if (!CLOSED_KEY_TYPES.contains(key)) {
      return true; // an interface or a class with subclasses: its values are not told apart here
    }
    return value.equals(key) || INTEGRAL.contains(value) && INTEGRAL.contains(key);
  }

  /** Whether values of the type are of exactly that type: a primitive, an array, a final class. */
  private static boolean isClosed(TypeDescription type) {
    return type.isPrimitive() || type.isArray() || type.isFinal() && !type.isInterface();
  }

  /**
   * The declared type of a property, found as the agent reads it at run time (getter, record
   * accessor or plain method, then field; also methods interfaces declare), or {@code null}.
   */
  private static TypeDescription propertyType(TypeDescription type, String name) {
    if (type.isPrimitive() || type.isArray()) {
      return null;
    }
    for (String candidate : KeyExpression.accessorMethods(name)) {
      MethodDescription method = findMethod(type, candidate, new ArrayList<>());
      if (method != null) {
        return method.getReturnType().asErasure();
      }
    }
    for (TypeDefinition t = type; t != null; t = t.getSuperClass()) {
      for (FieldDescription field : t.getDeclaredFields()) {
        if (field.getName().equals(name) && !field.isStatic()) {
          return field.getType().asErasure();
        }
      }
    }
    return null;
  }

  private static MethodDescription findMethod(TypeDefinition type, String name, List<String> seen) {
    if (type == null || seen.contains(type.getTypeName())) {
      return null;
    }
    seen.add(type.getTypeName());
    for (MethodDescription method : type.getDeclaredMethods()) {
      if (method.isMethod() && !method.isStatic() && method.getInternalName().equals(name)
          && method.getParameters().isEmpty() && !method.getReturnType().represents(void.class)) {
        return method;
      }
    }
    MethodDescription found = findMethod(type.getSuperClass(), name, seen);
    for (TypeDefinition parent : type.getInterfaces()) {
      if (found == null) {
        found = findMethod(parent, name, seen);
      }
    }
    return found;
  }
}
