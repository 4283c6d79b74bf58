package io.cacheagent.jdk;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import lombok.Value;

/**
 * Records (Java 16) as seen by agent code that is compiled for older releases: on a JVM without
 * them no class is a record.
 */
public final class Records {

  private static final MethodHandle IS_RECORD = JavaRuntime.method(Class.class, "isRecord", MethodType.methodType(boolean.class));

  /** One component of a record: its name, declared type and accessor. */
  @Value
  public static class Component {
    String name;
    Type genericType;
    Method accessor;
  }

  private Records() {}

  /** Whether {@code type} is a record class; never on a JVM older than 16. */
  public static boolean isRecord(Class<?> type) {
    return JavaRuntime.test(IS_RECORD, type);
  }

  /** The components of the record class {@code type}, in declaration order; none when it is not one. */
  public static List<Component> components(Class<?> type) {
    if (!isRecord(type)) {
      return Collections.emptyList();
    }
    try {
      Object[] components = (Object[]) Class.class.getMethod("getRecordComponents").invoke(type);
      List<Component> found = new ArrayList<>(components.length);
      for (Object component : components) {
        Class<?> kind = component.getClass(); // java.lang.reflect.RecordComponent, public in java.base
        found.add(new Component((String) kind.getMethod("getName").invoke(component),
            (Type) kind.getMethod("getGenericType").invoke(component), (Method) kind.getMethod("getAccessor").invoke(component)));
      }
      return found;
    } catch (Throwable t) {
      throw new IllegalStateException("the components of record " + type.getName() + " could not be read", t);
    }
  }
}
