package io.cacheagent.instrument;

import io.cacheagent.bootstrap.CacheBridge;
import io.cacheagent.bootstrap.Hit;
import io.cacheagent.config.AgentConfig;
import io.cacheagent.config.MethodRule;
import io.cacheagent.logging.AgentLog;
import io.cacheagent.runtime.MethodTable;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.IllegalClassFormatException;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import lombok.EqualsAndHashCode;
import lombok.Value;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.matcher.ElementMatchers;
import net.bytebuddy.utility.JavaModule;

/**
 * Installs the transformer for the configured classes, and only those: a class that is not named
 * in the configuration, and does not implement an interface or abstract method named there, is
 * never transformed. It works behind the {@link ClassLoadGate} registered in premain, which holds
 * the classes the configuration names at their first load until it is ready. Classes it could not
 * see as they loaded (an attach, implementations of configured interfaces loaded before it was
 * ready) are retransformed; advice never changes a class's shape, so that works.
 * A reloaded configuration replaces the plan, and the loaded classes it newly names are
 * retransformed, a few at a time.
 */
public final class Instrumenter {

  /** Classes retransformed per call, so that no single call holds the JVM for long. */
  private static final int RETRANSFORM_BATCH = 20;

  private final Instrumentation instrumentation;
  private volatile InstrumentationPlan plan;

  private Instrumenter(Instrumentation instrumentation, InstrumentationPlan plan) {
    this.instrumentation = instrumentation;
    this.plan = plan;
  }

  /**
   * Builds the transformer for {@code config}, opens {@code gate} to it (the classes it held are
   * transformed as they load), then transforms again the loaded classes it concerns: those loaded
   * before the agent (an attach), after a hold that ran out, or that only implement a configured
   * interface and so passed the gate untouched.
   */
  public static Instrumenter install(Instrumentation instrumentation, AgentConfig config, MethodTable table, ClassLoadGate gate) {
    Instrumenter instrumenter = new Instrumenter(instrumentation, new InstrumentationPlan(config));
    CacheTransformer transformer = new CacheTransformer(() -> instrumenter.plan, table, new ModuleOpener(instrumentation));
    AgentBuilder.RawMatcher configured = (type, loader, module, redefined, domain) ->
        instrumenter.plan.classNames().contains(type.getName()) || transformer.implementsConfigured(type, loader);
    ClassFileTransformer byteBuddy = new AgentBuilder.Default()
        .disableClassFormatChanges()
        // Classes transformed again are described from their class files, not by reflection, which
        // would load the types of their signatures on this thread inside Byte Buddy's transform,
        // where Byte Buddy leaves them untransformed (its lock against circular transforms).
        .with(AgentBuilder.DescriptionStrategy.Default.POOL_ONLY)
        .with(new ProblemListener())
        // Named modules cannot read the bootstrap bridge unless given a read edge.
        .assureReadEdgeTo(instrumentation, CacheBridge.class, Hit.class)
        // The agent's own classes, whatever their names; application classes are matched by name only.
        .ignore(ElementMatchers.any(), ElementMatchers.is(Instrumenter.class.getClassLoader()))
        .type(configured)
        .transform(transformer)
        .makeRaw();
    Set<Class<?>> loadedBefore = new HashSet<>();
    for (Class<?> type : instrumentation.getAllLoadedClasses()) {
      loadedBefore.add(type);
    }
    gate.open(new ParentsFirst(transformer, byteBuddy));
    instrumenter.transformAgain(instrumenter.loadedAfterOpening(loadedBefore, gate));
    return instrumenter;
  }

  /**
   * The loaded classes the plan concerns that no transformer has seen with the plan: every one
   * loaded before the gate opened; of those loaded since, the ones the gate could not have held
   * (they passed while it was closed and were defined after {@code loadedBefore} was taken).
   */
  private List<Class<?>> loadedAfterOpening(Set<Class<?>> loadedBefore, ClassLoadGate gate) {
    Set<String> names = plan.classNames();
    List<Class<?>> concerned = new ArrayList<>();
    for (Class<?> type : instrumentation.getAllLoadedClasses()) {
      boolean sawPlan = !loadedBefore.contains(type) && !gate.mayHaveLetNamedClassesPass()
          && gate.holds(type.getName().replace('.', '/'));
      if (!sawPlan && instrumentation.isModifiableClass(type) && isOrExtendsAny(type, names)) {
        concerned.add(type);
      }
    }
    return concerned;
  }

  /**
   * Byte Buddy's transformer, given only the classes that may concern the plan, and told first the
   * parents of each from its bytes (before Byte Buddy describes it, see {@link
   * CacheTransformer#beforeTransform}).
   */
  @Value
  @EqualsAndHashCode(callSuper = false)
  private static class ParentsFirst extends ModuleAwareTransformer {

    /** Told the parents of each class first. */
    CacheTransformer transformer;
    /** Byte Buddy's transformer. */
    ClassFileTransformer byteBuddy;

    @Override
    byte[] transform(Object module, ClassLoader loader, String internalName, Class<?> redefined,
        ProtectionDomain domain, byte[] classFile) throws IllegalClassFormatException {
      if (!transformer.mayConcern(loader, internalName)) {
        return null;
      }
      transformer.beforeTransform(loader, internalName, classFile);
      return pass(byteBuddy, module, loader, internalName, redefined, domain, classFile);
    }
  }

  /** The number of classes the current configuration names. */
  public int classCount() {
    return plan.classNames().size();
  }

  /**
   * Takes a reloaded configuration, with the rules it removed ({@code retired}, whose advice stays
   * in place); the loaded classes named in {@code retransform}, and those extending or implementing
   * them, are transformed again.
   */
  public void reconfigure(AgentConfig config, List<MethodRule> retired, Set<String> retransform) {
    plan = new InstrumentationPlan(config, retired);
    if (retransform.isEmpty()) {
      return; // most reloads only change settings: no need to walk every loaded class
    }
    List<Class<?>> loaded = new ArrayList<>();
    for (Class<?> type : instrumentation.getAllLoadedClasses()) {
      if (instrumentation.isModifiableClass(type) && isOrExtendsAny(type, retransform)) {
        loaded.add(type);
      }
    }
    transformAgain(loaded);
  }

  /** Transforms {@code loaded} again, a few at a time, so that no single call holds the JVM for long. */
  private void transformAgain(List<Class<?>> loaded) {
    for (int from = 0; from < loaded.size(); from += RETRANSFORM_BATCH) {
      List<Class<?>> batch = loaded.subList(from, Math.min(loaded.size(), from + RETRANSFORM_BATCH));
      try {
        instrumentation.retransformClasses(batch.toArray(new Class<?>[0]));
      } catch (Exception | LinkageError e) {
        AgentLog.warn("retransform:" + batch.get(0).getName(), "cannot transform " + batch + " again (" + e
            + "); their configured methods run uncached until a restart");
      }
    }
  }

  /** Whether {@code type}, loaded, is named in {@code names} or extends or implements a class so named. */
  private static boolean isOrExtendsAny(Class<?> type, Set<String> names) {
    if (type == null) {
      return false;
    }
    if (names.contains(type.getName()) || isOrExtendsAny(type.getSuperclass(), names)) {
      return true;
    }
    for (Class<?> parent : type.getInterfaces()) {
      if (isOrExtendsAny(parent, names)) {
        return true;
      }
    }
    return false;
  }

  /** Reports each failed transformation once; never lets it reach the application. */
  private static final class ProblemListener extends AgentBuilder.Listener.Adapter {
    @Override
    public void onError(String typeName, ClassLoader loader, JavaModule module, boolean loaded, Throwable throwable) {
      AgentLog.warn("transform:" + typeName, "cannot instrument " + typeName + " (" + throwable
          + "); its methods run uncached");
    }
  }
}
