package io.cacheagent.codec;

import io.cacheagent.jdk.Records;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Set;

/*
 * A 64-bit fingerprint of the shape of a method's declared return type: for each application
 * class reachable through it (fields, record components, type arguments, array components), its
 * name and its fields' names and types in name order, and the constants of enums. JDK classes
 * count by name only.
 *
 * Kryo writes fields by position, without names. After a deploy that renames, adds or reorders
 * fields of a cached type, old bytes could decode into the wrong fields. Entries carry the
 * fingerprint of the shape that wrote them, and a read with another fingerprint is a miss.
 * Values of subclasses not visible from the declared type are not covered.
 */
final class ShapeFingerprint {

  private static final int MAX_DEPTH = 8;

  private ShapeFingerprint() {}

  /** The fingerprint; never 0, so that 0 can mean "none" (tombstones). */
  static long of(Type declared) {
    StringBuilder shape = new StringBuilder();
    append(declared, shape, new HashSet<>(), 0);
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(shape.toString().getBytes(StandardCharsets.UTF_8));
      long fingerprint = 0;
      for (int i = 0; i < 8; i++) {
        fingerprint = (fingerprint << 8) | (digest[i] & 0xFF);
      }
      return fingerprint == 0 ? 1 : fingerprint;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private static void append(Type type, StringBuilder out, Set<Class<?>> seen, int depth) {
    if (depth > MAX_DEPTH) {
      out.append('~');
    } else if (type instanceof Class<?>) {
      appendClass((Class<?>) type, out, seen, depth);
    } else if (type instanceof ParameterizedType) {
      ParameterizedType p = (ParameterizedType) type;
      append(p.getRawType(), out, seen, depth);
      out.append('<');
      for (Type argument : p.getActualTypeArguments()) {
        append(argument, out, seen, depth + 1);
        out.append(',');
      }
      out.append('>');
    } else if (type instanceof GenericArrayType) {
      append(((GenericArrayType) type).getGenericComponentType(), out, seen, depth + 1);
      out.append("[]");
    } else if (type instanceof WildcardType) {
      out.append('?');
      for (Type bound : ((WildcardType) type).getUpperBounds()) {
        append(bound, out, seen, depth + 1);
      }
    } else {
      out.append(type.getTypeName()); // a type variable: its name is all the declaration says
    }
  }

  private static void appendClass(Class<?> c, StringBuilder out, Set<Class<?>> seen, int depth) {
    if (c.isArray()) {
      append(c.getComponentType(), out, seen, depth + 1);
      out.append("[]");
      return;
    }
    out.append(c.getName());
    if (c.isPrimitive() || isJdk(c) || !seen.add(c)) {
      return;
    }
    out.append('{');
    if (c.isEnum()) {
      for (Object constant : c.getEnumConstants()) {
        out.append(((Enum<?>) constant).name()).append(',');
      }
    } else if (Records.isRecord(c)) {
      for (Records.Component component : Records.components(c)) {
        out.append(component.name()).append(':');
        append(component.genericType(), out, seen, depth + 1);
        out.append(';');
      }
    } else {
      for (Class<?> k = c; k != null && !isJdk(k); k = k.getSuperclass()) {
        Field[] fields = k.getDeclaredFields();
        Arrays.sort(fields, Comparator.comparing(Field::getName));
        out.append(k.getName()).append(':');
        for (Field field : fields) {
          int modifiers = field.getModifiers();
          if (!Modifier.isStatic(modifiers) && !Modifier.isTransient(modifiers)) {
            out.append(field.getName()).append(':');
            append(field.getGenericType(), out, seen, depth + 1);
            out.append(';');
          }
        }
      }
    }
    out.append('}');
  }

  private static boolean isJdk(Class<?> c) {
    String name = c.getName();
    return name.startsWith("java.") || name.startsWith("javax.") || name.startsWith("jdk.") || name.startsWith("sun.");
  }
}
