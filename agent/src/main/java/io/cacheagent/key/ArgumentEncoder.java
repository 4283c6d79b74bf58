package io.cacheagent.key;

import io.cacheagent.jdk.JavaRuntime;
import io.cacheagent.jdk.Records;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Period;
import java.time.ZoneId;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/*
 * Canonical text of argument values, the part of a cache key that depends on the call.
 *
 * The text must be equal for equal values in any JVM, and different for different ones, so it
 * never uses hashCode() or toString() of types that do not define them by value. Rules:
 *   null -> ~            true/false -> T/F       char -> c65     float -> f1.5   double -> d1.5
 *   integral numbers, by type: byte b42, short h42, int i42, long l42, BigInteger g42; or, where
 *     the key part is declared integral (see KeyShape), by value alone: n42
 *   BigDecimal -> D1.50  String -> s5:hello (length-prefixed, so no value can forge a delimiter)
 *   enum -> eClass.NAME  UUID, java.time, Locale, Currency, URI, Class -> vType:len:text
 *   arrays -> a[I:[1,2] (the array's class, then its elements)     lists -> [a,b]
 *   sets -> {a,b} sorted by text     maps -> M{k=v,...} sorted     Optional -> o(x)
 *   records -> rClass(a,b)    other classes -> pClass(field=value,...) in field-name order,
 *   walking the class hierarchy, transient and static fields skipped.
 * Strings longer than INLINE_STRING and primitive arrays longer than INLINE_ELEMENTS are written as
 * their length and the SHA-256 of their UTF-16 code units or raw bytes (S5000:hash, a[B:#5000:hash),
 * so a large argument is hashed once, never turned into text. Unpaired surrogates survive: they
 * stay in the text, and a key text holding one is hashed as UTF-16, never sent as UTF-8.
 * JDK types not listed (streams, connections, threads, lambdas, anything AutoCloseable) have no
 * stable value: encoding them throws UnstableArgumentException and the call runs uncached.
 */
final class ArgumentEncoder {

  private static final int MAX_DEPTH = 8;
  /** Longest string written out; longer ones are hashed in place. */
  static final int INLINE_STRING = 64;
  /** Most elements of a primitive array written out; longer arrays are hashed in place. */
  static final int INLINE_ELEMENTS = 16;

  /** Record accessors, resolved once per record class (null when one cannot be made accessible). */
  private static final ClassValue<MethodHandle[]> RECORD_ACCESSORS =
      new ClassValue<MethodHandle[]>() {
        @Override
        protected MethodHandle[] computeValue(Class<?> type) {
          return recordAccessors(type);
        }
      };

  private static final ClassValue<Field[]> FIELDS =
      new ClassValue<Field[]>() {
        @Override
        protected Field[] computeValue(Class<?> type) {
          return valueFields(type);
        }
      };

  private ArgumentEncoder() {}

  /**
   * Writes one key part.
   *
   * @param integralByValue whether integral numbers are written by value alone (n42), as in a key
   *     part declared {@code long}, {@code Integer} and the like; otherwise, and always inside
   *     collections and objects, their type is written too, since 42 and 42L are different values
   */
  static void encode(Object value, boolean integralByValue, KeyText out) throws UnstableArgumentException {
    if (integralByValue && isIntegral(value)) {
      out.append('n').append(value.toString());
    } else {
      encode(value, out, 0);
    }
  }

  static boolean isIntegral(Object value) {
    return value instanceof Long || value instanceof Integer || value instanceof Short
        || value instanceof Byte || value instanceof BigInteger;
  }

  private static void encode(Object value, KeyText out, int depth) throws UnstableArgumentException {
    if (depth > MAX_DEPTH) {
      throw new UnstableArgumentException("argument nests deeper than " + MAX_DEPTH + " levels (a cycle?)");
    }
    out.checkBudget();
    if (value == null) {
      out.append('~');
    } else if (value instanceof String) {
      encodeString((String) value, out);
    } else if (isIntegral(value)) {
      out.append(integralTag(value)).append(value.toString());
    } else if (value instanceof Boolean) {
      out.append((Boolean) value ? 'T' : 'F');
    } else if (value instanceof Character) {
      out.append('c').append(Integer.toString((Character) value));
    } else if (value instanceof Double || value instanceof Float) {
      out.append(value instanceof Double ? 'd' : 'f').append(value.toString());
    } else if (value instanceof BigDecimal) {
      out.append('D').append(value.toString());
    } else if (value instanceof Enum<?>) {
      Enum<?> e = (Enum<?>) value;
      out.append('e').append(e.getDeclaringClass().getName()).append('.').append(e.name());
    } else if (isValueType(value)) {
      String text = value instanceof Class<?> ? ((Class<?>) value).getName() : value.toString();
      out.append('v').append(value.getClass().getName()).append(':').append(Integer.toString(text.length()))
          .append(':').append(text);
    } else if (value.getClass().isArray()) {
      encodeArray(value, out, depth);
    } else if (value instanceof List<?>) {
      out.append('[');
      int i = 0;
      for (Object element : (List<?>) value) {
        if (i++ > 0) {
          out.append(',');
        }
        encode(element, out, depth + 1);
      }
      out.append(']');
    } else if (value instanceof Set<?>) {
      out.append('{');
      appendSorted(encodeAll((Set<?>) value, out, depth), out);
      out.append('}');
    } else if (value instanceof Map<?, ?>) {
      Map<?, ?> map = (Map<?, ?>) value;
      List<String> entries = new ArrayList<>(map.size());
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        KeyText e = out.part();
        encode(entry.getKey(), e, depth + 1);
        e.append('=');
        encode(entry.getValue(), e, depth + 1);
        entries.add(e.toString());
      }
      out.append("M{");
      appendSorted(entries, out);
      out.append('}');
    } else if (value instanceof Optional<?>) {
      out.append("o(");
      encode(((Optional<?>) value).orElse(null), out, depth + 1);
      out.append(')');
    } else if (Records.isRecord(value.getClass())) {
      encodeRecord(value, out, depth);
    } else {
      encodeFields(value, out, depth);
    }
  }

  private static char integralTag(Object value) {
    if (value instanceof Long) {
      return 'l';
    } else if (value instanceof Integer) {
      return 'i';
    } else if (value instanceof Short) {
      return 'h';
    } else if (value instanceof Byte) {
      return 'b';
    }
    return 'g';
  }

  private static void encodeString(String s, KeyText out) throws UnstableArgumentException {
    if (s.length() <= INLINE_STRING) {
      out.append('s').append(Integer.toString(s.length())).append(':').append(s);
      return;
    }
    out.spend(2L * s.length());
    out.append('S').append(Integer.toString(s.length())).append(':').append(KeyText.sha256Utf16(s));
  }

  private static void encodeArray(Object array, KeyText out, int depth) throws UnstableArgumentException {
    Class<?> component = array.getClass().getComponentType();
    int length = Array.getLength(array);
    out.append('a').append(array.getClass().getName()).append(':');
    if (component.isPrimitive() && length > INLINE_ELEMENTS) {
      out.append('#').append(Integer.toString(length)).append(':').append(KeyText.sha256(primitiveBytes(array, length, out)));
      return;
    }
    out.append('[');
    for (int i = 0; i < length; i++) {
      if (i > 0) {
        out.append(',');
      }
      Object element = Array.get(array, i);
      if (component == char.class) {
        out.append(Integer.toString((Character) element)); // a char could be a comma
      } else if (component.isPrimitive()) {
        out.append(element.toString()); // the array's class already says what the elements are
      } else {
        encode(element, out, depth + 1);
      }
    }
    out.append(']');
  }

  /** The elements of a primitive array as big-endian bytes, copied in bulk. */
  private static byte[] primitiveBytes(Object array, int length, KeyText out) throws UnstableArgumentException {
    if (array instanceof byte[]) {
      byte[] bytes = (byte[]) array;
      out.spend(bytes.length);
      return bytes;
    }
    if (array instanceof boolean[]) {
      boolean[] flags = (boolean[]) array;
      byte[] bytes = new byte[out.spend(flags.length)];
      for (int i = 0; i < flags.length; i++) {
        bytes[i] = (byte) (flags[i] ? 1 : 0);
      }
      return bytes;
    }
    int width = array instanceof long[] || array instanceof double[] ? 8
        : array instanceof int[] || array instanceof float[] ? 4 : 2;
    ByteBuffer buffer = ByteBuffer.allocate(out.spend((long) width * length));
    if (array instanceof long[]) {
      buffer.asLongBuffer().put((long[]) array);
    } else if (array instanceof double[]) {
      buffer.asDoubleBuffer().put((double[]) array);
    } else if (array instanceof int[]) {
      buffer.asIntBuffer().put((int[]) array);
    } else if (array instanceof float[]) {
      buffer.asFloatBuffer().put((float[]) array);
    } else if (array instanceof short[]) {
      buffer.asShortBuffer().put((short[]) array);
    } else {
      buffer.asCharBuffer().put((char[]) array);
    }
    return buffer.array();
  }

  private static boolean isValueType(Object value) {
    return value instanceof UUID || value instanceof TemporalAccessor || value instanceof Duration
        || value instanceof Period || value instanceof ZoneId || value instanceof Locale
        || value instanceof Currency || value instanceof URI || value instanceof Class<?>;
  }

  private static List<String> encodeAll(Collection<?> values, KeyText out, int depth) throws UnstableArgumentException {
    List<String> encoded = new ArrayList<>(values.size());
    for (Object element : values) {
      KeyText e = out.part();
      encode(element, e, depth + 1);
      encoded.add(e.toString());
    }
    return encoded;
  }

  private static void appendSorted(List<String> encoded, KeyText out) {
    encoded.sort(null);
    out.appendParts(String.join(",", encoded));
  }

  private static void encodeRecord(Object value, KeyText out, int depth) throws UnstableArgumentException {
    Class<?> type = value.getClass();
    MethodHandle[] accessors = RECORD_ACCESSORS.get(type);
    if (accessors == null) {
      throw new UnstableArgumentException("the components of " + type.getName() + " cannot be read");
    }
    out.append('r').append(type.getName()).append('(');
    for (int i = 0; i < accessors.length; i++) {
      if (i > 0) {
        out.append(',');
      }
      Object component;
      try {
        component = (Object) accessors[i].invokeExact(value);
      } catch (Throwable t) {
        throw new UnstableArgumentException("reading a component of " + type.getName() + " threw " + t);
      }
      encode(component, out, depth + 1);
    }
    out.append(')');
  }

  private static MethodHandle[] recordAccessors(Class<?> type) {
    List<Records.Component> components = Records.components(type);
    MethodHandle[] accessors = new MethodHandle[components.size()];
    for (int i = 0; i < accessors.length; i++) {
      Method accessor = components.get(i).accessor();
      if (!JavaRuntime.trySetAccessible(accessor)) {
        return null;
      }
      try {
        accessors[i] = MethodHandles.lookup().unreflect(accessor).asType(MethodType.methodType(Object.class, Object.class));
      } catch (IllegalAccessException e) {
        return null;
      }
    }
    return accessors;
  }

  private static void encodeFields(Object value, KeyText out, int depth) throws UnstableArgumentException {
    Class<?> type = value.getClass();
    if (!hasStableFields(value)) {
      throw new UnstableArgumentException(type.getName() + " has no stable value (identity only)");
    }
    Field[] fields = FIELDS.get(type);
    if (fields == null) {
      throw new UnstableArgumentException("the fields of " + type.getName() + " cannot be read");
    }
    out.append('p').append(type.getName()).append('(');
    for (int i = 0; i < fields.length; i++) {
      if (i > 0) {
        out.append(',');
      }
      out.append(fields[i].getName()).append("=");
      try {
        encode(fields[i].get(value), out, depth + 1);
      } catch (IllegalAccessException e) {
        throw new UnstableArgumentException("cannot read " + type.getName() + "." + fields[i].getName());
      }
    }
    out.append(')');
  }

  /** Application classes qualify; JDK internals, lambdas, hidden classes and resources do not. */
  private static boolean hasStableFields(Object value) {
    Class<?> type = value.getClass();
    if (type.isSynthetic() || JavaRuntime.isHidden(type) || value instanceof AutoCloseable
        || value instanceof java.util.Iterator<?> || value instanceof Thread) {
      return false;
    }
    String name = type.getName();
    return !(name.startsWith("java.") || name.startsWith("javax.") || name.startsWith("jdk.")
        || name.startsWith("sun.") || name.startsWith("com.sun."));
  }

  private static Field[] valueFields(Class<?> type) {
    List<Field> fields = new ArrayList<>();
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      for (Field field : c.getDeclaredFields()) {
        int modifiers = field.getModifiers();
        if (Modifier.isStatic(modifiers) || Modifier.isTransient(modifiers) || field.isSynthetic()) {
          continue;
        }
        if (!JavaRuntime.trySetAccessible(field)) {
          return null;
        }
        fields.add(field);
      }
    }
    fields.sort((a, b) -> a.getName().compareTo(b.getName()));
    return fields.toArray(new Field[0]);
  }
}
