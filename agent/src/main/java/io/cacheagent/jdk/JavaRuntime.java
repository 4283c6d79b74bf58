package io.cacheagent.jdk;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.AccessibleObject;
import java.lang.reflect.Constructor;
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
  static final MethodHandle TRY_SET_ACCESSIBLE =
      method(AccessibleObject.class, "trySetAccessible", MethodType.methodType(boolean.class));
  static final MethodHandle PRIVATE_LOOKUP_IN = staticMethod(MethodHandles.class, "privateLookupIn",
      MethodType.methodType(MethodHandles.Lookup.class, Class.class, MethodHandles.Lookup.class));
  private static final ClassLoader PLATFORM_CLASS_LOADER = findPlatformClassLoader();

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

  /** What {@link #invokeDefault} does on Java 8 to 15: a special call through a lookup of the interface. */
  static Object invokeDefaultBefore16(Object proxy, Method method, Object[] args) throws Throwable {
    Class<?> declaring = method.getDeclaringClass();
    return privateLookupIn(declaring).unreflectSpecial(method, declaring)
        .bindTo(proxy).invokeWithArguments(args == null ? new Object[0] : args);
  }

  /**
   * A lookup with private access to {@code type}, as {@code MethodHandles.privateLookupIn} gives on
   * Java 9 and later (which fails where {@code type}'s module does not open its package to the
   * agent). Java 8 has no such method and no modules: there the lookup is made with Lookup's own
   * constructor, as every library that calls default methods on Java 8 does.
   */
  public static MethodHandles.Lookup privateLookupIn(Class<?> type) throws IllegalAccessException {
    if (PRIVATE_LOOKUP_IN != null) {
      try {
        return (MethodHandles.Lookup) PRIVATE_LOOKUP_IN.invokeExact(type, MethodHandles.lookup());
      } catch (IllegalAccessException | RuntimeException | Error e) {
        throw e;
      } catch (Throwable t) {
        throw new IllegalStateException("privateLookupIn", t);
      }
    }
    try {
      Constructor<MethodHandles.Lookup> full = MethodHandles.Lookup.class.getDeclaredConstructor(Class.class, int.class);
      full.setAccessible(true);
      int allModes = MethodHandles.Lookup.PUBLIC | MethodHandles.Lookup.PRIVATE | MethodHandles.Lookup.PROTECTED
          | MethodHandles.Lookup.PACKAGE;
      return full.newInstance(type, allModes);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("no private lookup on Java " + RELEASE, e);
    }
  }

  /**
   * Makes {@code object} accessible if this agent may, as {@code trySetAccessible} does on Java 9
   * and later: {@code false} where a module does not open the package (without the warning that
   * {@code setAccessible} printed on Java 9 to 16). Java 8 has no modules, so only a security
   * manager can refuse.
   */
  public static boolean trySetAccessible(AccessibleObject object) {
    if (TRY_SET_ACCESSIBLE != null) {
      try {
        return (boolean) TRY_SET_ACCESSIBLE.invokeExact(object);
      } catch (RuntimeException refused) {
        return false;
      } catch (Throwable t) {
        throw new IllegalStateException("trySetAccessible", t);
      }
    }
    try {
      object.setAccessible(true);
      return true;
    } catch (RuntimeException refused) {
      return false;
    }
  }

  /**
   * The loader of the JDK's classes outside the boot loader, which never loads an application's:
   * the platform loader on Java 9 and later, the extension loader on Java 8.
   */
  public static ClassLoader platformClassLoader() {
    return PLATFORM_CLASS_LOADER;
  }

  private static ClassLoader findPlatformClassLoader() {
    MethodHandle platform = staticMethod(ClassLoader.class, "getPlatformClassLoader", MethodType.methodType(ClassLoader.class));
    if (platform != null) {
      try {
        return (ClassLoader) platform.invokeExact();
      } catch (Throwable t) {
        throw new IllegalStateException("getPlatformClassLoader", t);
      }
    }
    // Java 8: the loader just below the boot loader, whatever -Djava.system.class.loader put above it
    ClassLoader loader = ClassLoader.getSystemClassLoader();
    while (loader.getParent() != null) {
      loader = loader.getParent();
    }
    return loader;
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

  /**
   * The public static method {@code name} of {@code owner}, or {@code null} where this JVM lacks it.
   * Found with this class's own lookup, not the public one: that one may not find a caller-sensitive
   * method such as {@code trySetAccessible}, whose caller is then this class, in the agent's module.
   */
  static MethodHandle staticMethod(Class<?> owner, String name, MethodType type) {
    try {
      return MethodHandles.lookup().findStatic(owner, name, type);
    } catch (NoSuchMethodException | IllegalAccessException absent) {
      return null;
    }
  }

  /** The public instance method {@code name} of {@code owner}, or {@code null} where this JVM lacks it (see {@link #staticMethod}). */
  static MethodHandle method(Class<?> owner, String name, MethodType type) {
    try {
      return MethodHandles.lookup().findVirtual(owner, name, type);
    } catch (NoSuchMethodException | IllegalAccessException absent) {
      return null;
    }
  }
}
