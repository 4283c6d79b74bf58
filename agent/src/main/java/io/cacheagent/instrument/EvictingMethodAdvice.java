package io.cacheagent.instrument;

import io.cacheagent.bootstrap.CacheBridge;
import net.bytebuddy.asm.Advice;

/** Inlined into every write method named in an {@code evictOn}: evicts before and/or after it runs. */
final class EvictingMethodAdvice {

  private EvictingMethodAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static void enter(@MethodId int id, @Advice.This(optional = true) Object self, @Advice.AllArguments Object[] args) {
    CacheBridge.beforeWrite(id, self, args);
  }

  /** Evicts only when the write returned normally: a failed write changed nothing. */
  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(
      @MethodId int id,
      @Advice.This(optional = true) Object self,
      @Advice.AllArguments Object[] args,
      @Advice.Thrown Throwable thrown) {
    if (thrown == null) {
      CacheBridge.afterWrite(id, self, args);
    }
  }
}
