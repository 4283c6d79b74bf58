package io.cacheagent.instrument;

import io.cacheagent.bootstrap.CacheBridge;
import io.cacheagent.bootstrap.Hit;
import io.cacheagent.config.AgentConfig;
import io.cacheagent.logging.AgentLog;
import io.cacheagent.runtime.MethodTable;
import java.lang.instrument.Instrumentation;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.matcher.ElementMatchers;
import net.bytebuddy.utility.JavaModule;

/**
 * Installs the transformer for the configured classes, and only those: a class not named in the
 * configuration is never transformed. Classes loaded before (the agent installs in the background,
 * and may be attached late) are retransformed; advice never changes a class's shape, so that works.
 */
public final class Instrumenter {

  private Instrumenter() {}

  /** Installs the advice; returns the number of classes that the configuration names. */
  public static int install(Instrumentation instrumentation, AgentConfig config, MethodTable table) {
    InstrumentationPlan plan = new InstrumentationPlan(config);
    new AgentBuilder.Default()
        .disableClassFormatChanges()
        .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
        .with(new ProblemListener())
        // Named modules cannot read the bootstrap bridge unless given a read edge.
        .assureReadEdgeTo(instrumentation, CacheBridge.class, Hit.class)
        // The agent's own classes, whatever their names; application classes are matched by name only.
        .ignore(ElementMatchers.any(), ElementMatchers.is(Instrumenter.class.getClassLoader()))
        .type(ElementMatchers.namedOneOf(plan.classNames().toArray(new String[0])))
        .transform(new CacheTransformer(plan, table))
        .installOn(instrumentation);
    return plan.classNames().size();
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
