package io.cacheagent.runtime;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;

/**
 * Runs a cached method again, uncached, from outside the call that asked for it: a caller that was
 * to share another call's load of a future got nothing from it (see FutureFollowers), and now runs
 * the method itself, as it would have without the agent. The call goes through the instrumented
 * method, whose next lookup on this thread is skipped; calls that method makes of other cached
 * methods are looked up as always.
 */
final class UncachedCalls {

  /** What a method that this agent may not call again resolves to (see CachedMethod#callAgain). */
  static final MethodHandle CANNOT = MethodHandles.constant(Object.class, null);

  private static final int NONE = -1;
  /** The id of the method whose next lookup on this thread runs it uncached; {@link #NONE}: none. */
  private static final ThreadLocal<int[]> SKIPPING = ThreadLocal.withInitial(() -> new int[] {NONE});

  private UncachedCalls() {}

  /**
   * A handle that calls exactly {@code method}, not an override of it in the class of the instance
   * (the advice is inlined into {@code method} alone); {@link #CANNOT} when this agent may not call
   * it (a module that did not open its package).
   */
  static MethodHandle handleOf(Method method) {
    try {
      Class<?> owner = method.getDeclaringClass();
      MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(owner, MethodHandles.lookup());
      return Modifier.isStatic(method.getModifiers()) ? lookup.unreflect(method) : lookup.unreflectSpecial(method, owner);
    } catch (IllegalAccessException | RuntimeException e) {
      return CANNOT;
    }
  }

  /** Calls the method with id {@code methodId} through {@code handle} on {@code self} ({@code null}: static), uncached. */
  static Object call(MethodHandle handle, int methodId, Object self, Object[] args) throws Throwable {
    Object[] all = args;
    if (self != null) {
      all = new Object[args.length + 1];
      all[0] = self;
      System.arraycopy(args, 0, all, 1, args.length);
    }
    int[] skipping = SKIPPING.get();
    int before = skipping[0];
    skipping[0] = methodId;
    try {
      return handle.invokeWithArguments(all);
    } finally {
      skipping[0] = before; // also when the method was switched off, and its advice never looked it up
    }
  }

  /** Whether this lookup of {@code methodId} is such a call's: then it runs uncached (once). */
  static boolean skipsLookup(int methodId) {
    int[] skipping = SKIPPING.get();
    if (skipping[0] != methodId) {
      return false;
    }
    skipping[0] = NONE;
    return true;
  }
}
