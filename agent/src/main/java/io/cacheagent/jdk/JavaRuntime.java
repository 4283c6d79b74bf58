package io.cacheagent.jdk;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * What the running JVM offers beyond the release the agent is compiled for. The agent serves JVMs
 * of several releases from one jar; parts that need a later one are found here, by reflection, and
 * left out where the JVM lacks them.
 */
public final class JavaRuntime {

  /** The feature release of the running JVM: 8, 11, 17, 25... */
  public static final int RELEASE = release(System.getProperty("java.specification.version"));

  private static final MethodHandle IS_HIDDEN = method(Class.class, "isHidden", MethodType.methodType(boolean.class));

  private JavaRuntime() {}

  /** {@code 1.8} up to Java 8, then {@code 9}, {@code 11}...; a format not known is taken for a newer release. */
  public static int release(String specificationVersion) {
    try {
      return Integer.parseInt(specificationVersion.startsWith("1.") ? specificationVersion.substring(2) : specificationVersion);
    } catch (RuntimeException unknown) {
      return Integer.MAX_VALUE;
    }
  }

  /** Whether {@code type} is a hidden class (Java 15); there are none on older JVMs. */
  public static boolean isHidden(Class<?> type) {
    return test(IS_HIDDEN, type);
  }

  /**
   * Calls the default method {@code method} of an interface that {@code proxy} (a
   * {@link java.lang.reflect.Proxy}) implements, as {@code InvocationHandler.invokeDefault} does on
   * Java 16 and later.
   */
  public static Object invokeDefault(Object proxy, Method method, Object[] args) throws Throwable {
    if (RELEASE < 16) {
      return invokeDefaultBefore16(proxy, method, args);
    }
    try {
      return InvocationHandler.class.getMethod("invokeDefault", Object.class, Method.class, Object[].class)
          .invoke(null, proxy, method, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  /** What {@link #invokeDefault} does on Java 9 to 15: a special call through a lookup of the interface. */
  static Object invokeDefaultBefore16(Object proxy, Method method, Object[] args) throws Throwable {
    Class<?> declaring = method.getDeclaringClass();
    return MethodHandles.privateLookupIn(declaring, MethodHandles.lookup()).unreflectSpecial(method, declaring)
        .bindTo(proxy).invokeWithArguments(args == null ? new Object[0] : args);
  }

  /**
   * What the {@code boolean} method {@code predicate} of {@link Class} (from {@link #method}) says of
   * {@code type}; {@code false} where this JVM lacks the method. Callers pass a static final handle,
   * so that the call folds to a plain one once compiled.
   */
  static boolean test(MethodHandle predicate, Class<?> type) {
    if (predicate == null) {
      return false;
    }
    try {
      return (boolean) predicate.invokeExact(type);
    } catch (Throwable t) {
      throw new IllegalStateException("Class predicate " + predicate, t);
    }
  }

  /** The public instance method {@code name} of {@code owner}, or {@code null} where this JVM lacks it. */
  static MethodHandle method(Class<?> owner, String name, MethodType type) {
    try {
      return MethodHandles.publicLookup().findVirtual(owner, name, type);
    } catch (NoSuchMethodException | IllegalAccessException absent) {
      return null;
    }
  }
}
