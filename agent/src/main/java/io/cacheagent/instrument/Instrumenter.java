package io.cacheagent.instrument;

import io.cacheagent.bootstrap.CacheBridge;
import io.cacheagent.bootstrap.Hit;
import io.cacheagent.config.AgentConfig;
import io.cacheagent.config.MethodRule;
import io.cacheagent.logging.AgentLog;
import io.cacheagent.runtime.MethodTable;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.security.ProtectionDomain;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;
import net.bytebuddy.matcher.ElementMatchers;
import net.bytebuddy.utility.JavaModule;

/**
 * Installs the transformer for the configured classes, and only those: a class that is not named
 * in the configuration, and does not implement an interface or abstract method named there, is
 * never transformed. Classes loaded before (the agent installs in the background,
 * and may be attached late) are retransformed; advice never changes a class's shape, so that works.
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

  /** Installs the advice for {@code config}. */
  public static Instrumenter install(Instrumentation instrumentation, AgentConfig config, MethodTable table) {
    Instrumenter instrumenter = new Instrumenter(instrumentation, new InstrumentationPlan(config));
    CacheTransformer transformer = new CacheTransformer(() -> instrumenter.plan, table, new ModuleOpener(instrumentation));
    AgentBuilder.RawMatcher configured = (type, loader, module, redefined, domain) ->
        instrumenter.plan.classNames().contains(type.getName()) || transformer.implementsConfigured(type, loader);
    new AgentBuilder.Default()
        .disableClassFormatChanges()
        .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
        // Classes already loaded (a late start, an attach) are transformed again a few at a time.
        .with(AgentBuilder.RedefinitionStrategy.BatchAllocator.ForFixedSize.ofSize(RETRANSFORM_BATCH))
        .with(new ProblemListener())
        // The bytes of each class, before Byte Buddy describes it: its parents' names come from there.
        .with((AgentBuilder.TransformerDecorator) installed -> ResettableClassFileTransformer.WithDelegation.of(installed,
            new ResettableClassFileTransformer.WithDelegation.Callback<Void>() {
              @Override
              public Void onBeforeTransform(JavaModule module, ClassLoader loader, String internalName,
                  Class<?> redefined, ProtectionDomain domain, byte[] classFile) {
                transformer.beforeTransform(loader, internalName, classFile);
                return null;
              }

              @Override
              public void onAfterTransform(Void nothing, JavaModule module, ClassLoader loader, String internalName,
                  Class<?> redefined, ProtectionDomain domain, byte[] classFile) {}
            }))
        // Named modules cannot read the bootstrap bridge unless given a read edge.
        .assureReadEdgeTo(instrumentation, CacheBridge.class, Hit.class)
        // The agent's own classes, whatever their names; application classes are matched by name only.
        .ignore(ElementMatchers.any(), ElementMatchers.is(Instrumenter.class.getClassLoader()))
        .type(configured)
        .transform(transformer)
        .installOn(instrumentation);
    return instrumenter;
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
    for (int from = 0; from < loaded.size(); from += RETRANSFORM_BATCH) {
      List<Class<?>> batch = loaded.subList(from, Math.min(loaded.size(), from + RETRANSFORM_BATCH));
      try {
        instrumentation.retransformClasses(batch.toArray(new Class<?>[0]));
      } catch (Exception | LinkageError e) {
        AgentLog.warn("retransform:" + batch.get(0).getName(), "cannot transform " + batch + " again (" + e
            + "); the methods the reload added there run uncached until a restart");
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
