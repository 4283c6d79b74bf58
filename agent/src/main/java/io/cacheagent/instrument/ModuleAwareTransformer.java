package io.cacheagent.instrument;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.IllegalClassFormatException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.security.ProtectionDomain;

/*
 * A class file transformer that is told the module of each class, though the agent is compiled for
 * Java 8, whose ClassFileTransformer has no transform(Module, ...). On Java 9 and later the JVM
 * calls that method, and Byte Buddy needs the module: to instrument a class of a named module and
 * to open it to the agent (ModuleOpener). Without it, such classes would be transformed as if
 * they had none.
 *
 * The JVM is given a proxy of ClassFileTransformer (toJvm): a proxy implements every method of
 * its interface, so it receives transform(Module, ...) wherever the JVM has it, and the legacy
 * form on Java 8. Both land in transform(Object module, ...), the module being null on Java 8.
 * pass() hands a class on to another transformer (Byte Buddy's) with its module in the same way.
 */
abstract class ModuleAwareTransformer {

  /** ClassFileTransformer.transform(Module, ...), with the module typed Object; null on Java 8. */
  private static final MethodHandle TRANSFORM_IN_MODULE = transformInModule();

  /**
   * Transforms one class as {@link ClassFileTransformer#transform} does; {@code module}: its {@code
   * java.lang.Module}, {@code null} on Java 8.
   */
  abstract byte[] transform(Object module, ClassLoader loader, String internalName, Class<?> redefined,
      ProtectionDomain domain, byte[] classFile) throws IllegalClassFormatException;

  /** What {@link #toJvm} made, the first time. */
  private ClassFileTransformer jvm;

  /** The transformer to register with the JVM for this one (and to remove); the same one each time. */
  final synchronized ClassFileTransformer toJvm() {
    if (jvm == null) {
      jvm = (ClassFileTransformer) Proxy.newProxyInstance(ModuleAwareTransformer.class.getClassLoader(),
          new Class<?>[] {ClassFileTransformer.class}, (proxy, method, args) -> dispatch(proxy, method, args));
    }
    return jvm;
  }

  private Object dispatch(Object proxy, Method method, Object[] args) throws IllegalClassFormatException {
    switch (method.getName()) {
      case "transform":
        return args.length == 6
            ? transform(args[0], (ClassLoader) args[1], (String) args[2], (Class<?>) args[3], (ProtectionDomain) args[4],
                (byte[]) args[5])
            : transform(null, (ClassLoader) args[0], (String) args[1], (Class<?>) args[2], (ProtectionDomain) args[3],
                (byte[]) args[4]);
      case "equals":
        return proxy == args[0];
      case "hashCode":
        return System.identityHashCode(proxy);
      case "toString":
        return toString();
      default:
        throw new UnsupportedOperationException(method.toString());
    }
  }

  /** Hands one class to {@code next}, with its module where the JVM has modules. */
  static byte[] pass(ClassFileTransformer next, Object module, ClassLoader loader, String internalName,
      Class<?> redefined, ProtectionDomain domain, byte[] classFile) throws IllegalClassFormatException {
    if (module == null || TRANSFORM_IN_MODULE == null) {
      return next.transform(loader, internalName, redefined, domain, classFile);
    }
    try {
      return (byte[]) TRANSFORM_IN_MODULE.invokeExact(next, module, loader, internalName, redefined, domain, classFile);
    } catch (IllegalClassFormatException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException("transform " + internalName, t);
    }
  }

  private static MethodHandle transformInModule() {
    try {
      Class<?> moduleType = Class.forName("java.lang.Module");
      return MethodHandles.publicLookup()
          .findVirtual(ClassFileTransformer.class, "transform", MethodType.methodType(byte[].class, moduleType,
              ClassLoader.class, String.class, Class.class, ProtectionDomain.class, byte[].class))
          .asType(MethodType.methodType(byte[].class, ClassFileTransformer.class, Object.class, ClassLoader.class,
              String.class, Class.class, ProtectionDomain.class, byte[].class));
    } catch (ClassNotFoundException | NoSuchMethodException | IllegalAccessException java8) {
      return null;
    }
  }
}
