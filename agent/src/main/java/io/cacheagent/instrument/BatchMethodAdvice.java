package io.cacheagent.instrument;

import io.cacheagent.bootstrap.Arguments;
import io.cacheagent.bootstrap.CacheBridge;
import io.cacheagent.bootstrap.Hit;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Inlined into every cached method with {@code batch: args[N]}, in place of {@link
 * CachedMethodAdvice}: the body runs with only the elements that were not cached (the arguments
 * the bridge hands back), and what it returns is merged with the cached ones. A body that broke
 * the batch contract (a list of another size) runs again with its caller's arguments, uncached.
 */
final class BatchMethodAdvice {

  private BatchMethodAdvice() {}

  /** Returns a {@link Hit} (every element cached) to skip the body, {@code null} to run it. */
  @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
  static Object enter(
      @MethodId int id,
      @Advice.This(optional = true) Object self,
      @Advice.AllArguments(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object[] args,
      @Advice.Local("call") Object call) {
    if (!CacheBridge.isOn(id)) {
      return null;
    }
    call = CacheBridge.begin(id, self, args);
    if (call instanceof Hit) {
      return call;
    }
    if (call instanceof Arguments) {
      args = ((Arguments) call).values; // only the elements not cached
    }
    return null;
  }

  /** Merges, stores, or has the body run again (returns {@code true}) with the caller's own arguments. */
  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class, repeatOn = Advice.OnNonDefaultValue.class)
  static boolean exit(
      @MethodId int id,
      @Advice.Enter Object hit,
      @Advice.Local("call") Object call,
      @Advice.AllArguments(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object[] args,
      @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object returned,
      @Advice.Thrown Throwable thrown) {
    if (hit != null) {
      returned = ((Hit) hit).value;
    } else if (call != null && thrown == null) {
      Object merged;
      try {
        merged = CacheBridge.complete(id, call, returned);
      } catch (Throwable t) {
        // Never the result of only the missing elements for all of them: run again with the caller's.
        Object[] callers = call instanceof Arguments ? ((Arguments) call).callers : null;
        merged = callers != null ? new Arguments(callers, null) : returned;
      }
      if (merged instanceof Arguments) {
        call = null; // the second run is not cached
        args = ((Arguments) merged).values;
        return true;
      }
      returned = merged;
    } else if (call != null) {
      CacheBridge.abandon(id, call);
    }
    return false;
  }
}
