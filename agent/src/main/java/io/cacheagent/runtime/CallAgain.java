package io.cacheagent.runtime;

import io.cacheagent.jdk.JavaRuntime;
import io.cacheagent.threads.AgentThreads;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Runs a cached method again from outside the call that asked for it, with that call's instance and
 * arguments: a caller that was to share another call's load of a future got nothing from it and runs
 * the method itself, uncached (see FutureFollowers); a hit on an entry near its end reloads it in
 * the background (see Refreshes). The call goes through the instrumented method, whose next lookup
 * on this thread gives the answer the caller chose instead of looking the key up. Calls that method
 * makes of other cached methods are looked up as always.
 */
final class CallAgain {

  /** What a method that this agent may not call again resolves to (see CachedMethod#callAgain). */
  static final MethodHandle CANNOT = MethodHandles.constant(Object.class, null);
  /** What {@link #answerFor} returns when the lookup is not such a call's. */
  static final Object NOT_CALLED_AGAIN = new Object();

  /** The method whose next lookup on a thread answers {@code answer}; none on threads that never called one again. */
  private static final class Pending {
    int methodId = -1;
    Object answer;
  }

  private static final ThreadLocal<Pending> PENDING = new ThreadLocal<>();

  /** Agent threads for the calls callers make again (see {@link #soon}): up to 16, made when needed, gone when idle. */
  private static final ThreadPoolExecutor THREADS = threads();

  private static ThreadPoolExecutor threads() {
    ThreadPoolExecutor threads = new ThreadPoolExecutor(16, 16, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(10_000),
        task -> AgentThreads.daemon("call-again", task));
    threads.allowCoreThreadTimeOut(true);
    return threads;
  }

  private CallAgain() {}

  /**
   * A handle that calls exactly {@code method}, not an override of it in the class of the instance
   * (the advice is inlined into {@code method} alone); {@link #CANNOT} when this agent may not call
   * it (a module that did not open its package).
   */
  static MethodHandle handleOf(Method method) {
    try {
      Class<?> owner = method.getDeclaringClass();
      MethodHandles.Lookup lookup = JavaRuntime.privateLookupIn(owner);
      MethodHandle handle = Modifier.isStatic(method.getModifiers()) ? lookup.unreflect(method) : lookup.unreflectSpecial(method, owner);
      return handle.asFixedArity(); // a varargs method's last argument is its array already
    } catch (IllegalAccessException | RuntimeException e) {
      return CANNOT;
    }
  }

  /**
   * Calls the method with id {@code methodId} through {@code handle} on {@code self} ({@code null}:
   * static); its lookup answers {@code answer}: {@code null} runs it uncached, a miss stores its
   * result as that miss says.
   */
  static Object call(MethodHandle handle, int methodId, Object self, Object[] args, Object answer) throws Throwable {
    Object[] all = args;
    if (self != null) {
      all = new Object[args.length + 1];
      all[0] = self;
      System.arraycopy(args, 0, all, 1, args.length);
    }
    Pending pending = PENDING.get();
    if (pending == null) {
      pending = new Pending();
      PENDING.set(pending);
    }
    int methodBefore = pending.methodId;
    Object answerBefore = pending.answer;
    pending.methodId = methodId;
    pending.answer = answer;
    try {
      return handle.invokeWithArguments(all);
    } finally {
      // also when the method was switched off, and its advice never looked it up
      pending.methodId = methodBefore;
      pending.answer = answerBefore;
    }
  }

  /**
   * Runs {@code call} on an agent thread, never on the calling one (which may be the JDK's single
   * timer thread of CompletableFuture timeouts).
   *
   * @throws RejectedExecutionException when 10,000 calls wait for a thread already
   */
  static void soon(Runnable call) {
    THREADS.execute(call);
  }

  /** The answer for this lookup of {@code methodId} if it is such a call's (once); else {@link #NOT_CALLED_AGAIN}. */
  static Object answerFor(int methodId) {
    Pending pending = PENDING.get();
    if (pending == null || pending.methodId != methodId) {
      return NOT_CALLED_AGAIN;
    }
    Object answer = pending.answer;
    pending.methodId = -1;
    pending.answer = null;
    return answer;
  }
}
