package io.cacheagent.instrument;

import io.cacheagent.jdk.JavaRuntime;
import io.cacheagent.logging.AgentLog;
import java.lang.instrument.IllegalClassFormatException;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/*
 * The agent's one transformer, registered in premain before the application's first class loads.
 *
 * Byte Buddy costs several hundred milliseconds to load and warm up, which premain must not wait
 * for. Until it is ready, this gate decides per class from the names the configuration text
 * mentions (see config.ClassNameScan): every other class passes at once, untouched and without
 * touching Byte Buddy; a named class is held on its loading thread until Byte Buddy can transform
 * it, so that it is instrumented from its first load and cached from its first call. Once Byte
 * Buddy is ready, every class goes to its transformer, whose own matcher is one map lookup for a
 * class the configuration does not concern.
 *
 * The hold is bounded (HOLD_MILLIS). A class that waited in vain loads as it is, and the
 * Instrumenter transforms it again once ready, as it does with the classes that only implement a
 * configured interface (those cannot be told from their name). After one vain wait no other class
 * waits: whatever held up Byte Buddy would hold them up too.
 */
public final class ClassLoadGate extends ModuleAwareTransformer {

  /** How long a configured class may be held at its first load, in milliseconds. */
  static final long HOLD_MILLIS = 3_000;

  private final Set<String> namedClasses;
  private final long holdMillis;
  private final CountDownLatch opened = new CountDownLatch(1);
  private volatile ModuleAwareTransformer byteBuddy;
  private volatile boolean holdInVain;
  private volatile boolean closed;

  ClassLoadGate(Set<String> namedClasses, long holdMillis) {
    this.namedClasses = namedClasses;
    this.holdMillis = holdMillis;
  }

  /**
   * Registers a gate for the classes named in {@code internalNames} (internal form, {@code
   * com/acme/Repo}); cheap: it loads no library.
   */
  public static ClassLoadGate register(Instrumentation instrumentation, Set<String> internalNames) {
    ClassLoadGate gate = new ClassLoadGate(internalNames, HOLD_MILLIS);
    instrumentation.addTransformer(gate.toJvm(), true);
    return gate;
  }

  /** Hands every class from now on, and those held, to Byte Buddy's {@code transformer}. */
  void open(ModuleAwareTransformer transformer) {
    byteBuddy = transformer;
    opened.countDown();
  }

  /** Lets every class pass untouched from now on (until {@link #open}: a valid configuration came later). */
  public void close() {
    closed = true;
    opened.countDown();
  }

  /** Whether a class of this internal name is held until Byte Buddy is ready. */
  boolean holds(String internalName) {
    return namedClasses.contains(internalName);
  }

  /**
   * Whether a class this gate {@link #holds} may have loaded untransformed before it opened: a hold
   * ran out, or the gate was closed for a while.
   */
  boolean mayHaveLetNamedClassesPass() {
    return holdInVain || closed;
  }

  @Override
  byte[] transform(Object module, ClassLoader loader, String className, Class<?> redefined,
      ProtectionDomain domain, byte[] classFile) throws IllegalClassFormatException {
    ModuleAwareTransformer ready = byteBuddy;
    if (ready == null && redefined == null && className != null && holds(className) && isApplicationLoader(loader)) {
      // the gate may have opened since byteBuddy was read: open() sets byteBuddy first
      ready = isPassing() ? byteBuddy : awaitByteBuddy(className);
    }
    return ready == null ? null : ready.transform(module, loader, className, redefined, domain, classFile);
  }

  /** Whether no class waits any longer: opened, closed, or a hold ran out. */
  private boolean isPassing() {
    return opened.getCount() == 0 || holdInVain;
  }

  /** The JDK's own loaders never load application classes, and the agent's threads use them. */
  private static boolean isApplicationLoader(ClassLoader loader) {
    return loader != null && loader != JavaRuntime.platformClassLoader();
  }

  private ModuleAwareTransformer awaitByteBuddy(String className) {
    boolean interrupted = Thread.interrupted(); // the wait must not be cut short, nor the flag lost
    try {
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(holdMillis);
      while (true) {
        try {
          if (!opened.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            holdInVain = true;
            AgentLog.warn("hold:" + className, "instrumentation was not ready within " + holdMillis + " ms of loading "
                + className.replace('/', '.') + "; its methods run uncached until it is transformed again");
          }
          return byteBuddy;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
