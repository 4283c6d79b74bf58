package io.cacheagent.instrument;

import io.cacheagent.bootstrap.CacheBridge;
import io.cacheagent.bootstrap.Hit;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Inlined into every cached method. Refers to the bootstrap bridge only, which every class loader
 * can see. A switched-off method costs one volatile read and a count of the call; the arguments
 * array is built only after.
 */
final class CachedMethodAdvice {

  private CachedMethodAdvice() {}

  /** Returns a {@link Hit} to skip the body, {@code null} to run it. */
  @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
  static Object enter(
      @MethodId int id,
      @Advice.This(optional = true) Object self,
      @Advice.AllArguments Object[] args,
      @Advice.Local("call") Object call) {
    if (!CacheBridge.isOn(id)) {
      return null;
    }
    call = CacheBridge.begin(id, self, args);
    return call instanceof Hit ? call : null;
  }

  /**
   * Serves the hit, or stores the fresh result of a miss; exceptions pass through, never cached. If
   * {@code complete} throws, the suppressed throwable leaves {@code returned} as the body left it.
   */
  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(
      @MethodId int id,
      @Advice.Enter Object hit,
      @Advice.Local("call") Object call,
      @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object returned,
      @Advice.Thrown Throwable thrown) {
    if (hit != null) {
      returned = ((Hit) hit).value;
    } else if (call != null && thrown == null) {
      returned = CacheBridge.complete(id, call, returned); // the same value, or for a future one that completes once stored
    } else if (call != null) {
      CacheBridge.abandon(id, call);
    }
  }
}
