package io.cacheagent.key;

import io.cacheagent.jdk.JavaRuntime;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;

/**
 * Reads one property of a key expression: the getter {@code getName()} or {@code isName()}, the
 * record accessor or plain method {@code name()}, or the field {@code name}, in that order.
 * Resolved once per concrete class and kept as a method handle, so a call does no lookup.
 */
final class PropertyReader {

  private static final MethodType OBJECT_TO_OBJECT = MethodType.methodType(Object.class, Object.class);

  private final String name;
  private final ClassValue<MethodHandle> handles =
      new ClassValue<MethodHandle>() {
        @Override
        protected MethodHandle computeValue(Class<?> type) {
          return resolve(type);
        }
      };

  PropertyReader(String name) {
    this.name = name;
  }

  String name() {
    return name;
  }

  Object read(Object target, String expression) throws UnstableArgumentException {
    MethodHandle handle = handles.get(target.getClass());
    if (handle == null) {
      throw new UnstableArgumentException(expression + ": " + target.getClass().getName() + " has no "
          + KeyExpression.accessorsOf(name) + " that can be read");
    }
    try {
      return (Object) handle.invokeExact(target);
    } catch (Throwable t) {
      throw new UnstableArgumentException(expression + ": reading ." + name + " of "
          + target.getClass().getName() + " threw " + t);
    }
  }


  private MethodHandle resolve(Class<?> type) {
    for (String candidate : KeyExpression.accessorMethods(name)) {
      Method method = findMethod(type, candidate);
      if (method != null && JavaRuntime.trySetAccessible(method)) {
        try {
          return MethodHandles.lookup().unreflect(method).asType(OBJECT_TO_OBJECT);
        } catch (IllegalAccessException ignored) {
          // try the next candidate
        }
      }
    }
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      try {
        Field field = c.getDeclaredField(name);
        if (!Modifier.isStatic(field.getModifiers()) && JavaRuntime.trySetAccessible(field)) {
          return MethodHandles.lookup().unreflectGetter(field).asType(OBJECT_TO_OBJECT);
        }
      } catch (NoSuchFieldException | IllegalAccessException ignored) {
        // look in the superclass
      }
    }
    return null;
  }

  private static Method findMethod(Class<?> type, String methodName) {
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      try {
        Method method = c.getDeclaredMethod(methodName);
        if (!Modifier.isStatic(method.getModifiers()) && method.getReturnType() != void.class) {
          return method;
        }
      } catch (NoSuchMethodException ignored) {
        // look in the superclass
      }
    }
    return null;
  }
}
