package io.cacheagent.instrument;

import io.cacheagent.threads.AgentThreads;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.matcher.ElementMatchers;

/**
 * Weaves both advices once into a class of the agent's own and throws the result away, on a
 * daemon thread started in {@code premain}, while the configuration is parsed.
 *
 * <p>Byte Buddy's first weaving loads and runs some 800 classes cold: on a 2-core machine about
 * 300 ms, which would otherwise be spent on the application's thread, holding the first configured
 * class at its load (see {@link ClassLoadGate}). Done here, the application's transform takes
 * milliseconds.
 */
public final class ByteBuddyWarmUp {

  private ByteBuddyWarmUp() {}

  /** Starts the warm-up on the daemon thread {@code cache-agent-warm-up}. */
  public static void startInBackground() {
    AgentThreads.daemon("warm-up", ByteBuddyWarmUp::run).start();
  }

  static void run() {
    try {
      ClassFileLocator locator = ClassFileLocator.ForClassLoader.of(ByteBuddyWarmUp.class.getClassLoader());
      Advice cached = Advice.withCustomMapping().bind(MethodId.class, 0)
          .to(TypeDescription.ForLoadedType.of(CachedMethodAdvice.class), locator);
      Advice evicting = Advice.withCustomMapping().bind(MethodId.class, 0)
          .to(TypeDescription.ForLoadedType.of(EvictingMethodAdvice.class), locator);
      new ByteBuddy().with(TypeValidation.DISABLED)
          .redefine(Shelf.class, locator)
          .visit(cached.on(ElementMatchers.named("find")))
          .visit(evicting.on(ElementMatchers.named("save")))
          .make()
          .getBytes();
    } catch (Throwable ignored) {
      // only the time of the first transform depends on it
    }
  }

  /** What is woven: a cached read and a write, as an application has them. */
  static final class Shelf {
    String find(long id) {
      return "item " + id;
    }

    void save(String item) {
      // a write
    }
  }
}
