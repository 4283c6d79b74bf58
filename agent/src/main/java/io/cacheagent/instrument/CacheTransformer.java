package io.cacheagent.instrument;

import io.cacheagent.config.MethodRule;
import io.cacheagent.config.MethodSignature;
import io.cacheagent.logging.AgentLog;
import io.cacheagent.runtime.MethodTable;
import io.cacheagent.runtime.Eviction;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatchers;
import net.bytebuddy.utility.JavaModule;

/**
 * Adds the advice to the configured methods of one class, each with its id bound as a constant.
 * Bridge, synthetic, abstract and native methods never match.
 */
final class CacheTransformer implements AgentBuilder.Transformer {

  private static final TypeDescription CACHED_ADVICE = TypeDescription.ForLoadedType.of(CachedMethodAdvice.class);
  private static final TypeDescription EVICTING_ADVICE = TypeDescription.ForLoadedType.of(EvictingMethodAdvice.class);

  private final Supplier<InstrumentationPlan> plans;
  private final MethodTable table;
  private final ClassFileLocator adviceLocator = ClassFileLocator.ForClassLoader.of(CacheTransformer.class.getClassLoader());

  /** {@code plans}: the current plan, replaced when the configuration is reloaded. */
  CacheTransformer(Supplier<InstrumentationPlan> plans, MethodTable table) {
    this.plans = plans;
    this.table = table;
  }

  @Override
  public DynamicType.Builder<?> transform(
      DynamicType.Builder<?> builder,
      TypeDescription type,
      ClassLoader loader,
      JavaModule module,
      ProtectionDomain protectionDomain) {
    InstrumentationPlan plan = plans.get();
    List<MethodRule> cachedRules = plan.cachedRules(type.getName());
    List<InstrumentationPlan.WriteRule> writeRules = plan.writeRules(type.getName());
    Set<Object> matched = new HashSet<>();
    int cachedMethods = 0;
    int writeMethods = 0;
    for (MethodDescription.InDefinedShape method : type.getDeclaredMethods()) {
      if (!method.isMethod() || method.isAbstract() || method.isNative() || method.isBridge() || method.isSynthetic()) {
        continue;
      }
      String name = InstrumentationPlan.canonicalName(type, method);
      for (MethodRule rule : cachedRules) {
        if (!InstrumentationPlan.matches(rule.signature(), method)) {
          continue;
        }
        matched.add(rule);
        if (method.getReturnType().represents(void.class)) {
          AgentLog.warn("void:" + name, "methods[" + rule.index() + "].method \"" + rule.signature()
              + "\" matches " + name + ", which returns void: nothing to cache; use it in evictOn instead");
          continue;
        }
        int id = table.registerCached(loader, name, method.getDescriptor(), rule, ValueTypes.of(method.getReturnType()));
        builder = builder.visit(advice(CACHED_ADVICE, id).on(ElementMatchers.is(method)));
        cachedMethods++;
      }
      List<Eviction> evictions = new ArrayList<>();
      for (InstrumentationPlan.WriteRule write : writeRules) {
        if (InstrumentationPlan.matches(write.write(), method)) {
          matched.add(write);
          evictions.add(Eviction.of(write.eviction(), write.cached(), table.keyPrefix()));
        }
      }
      if (!evictions.isEmpty()) {
        int id = table.registerWrite(loader, name, method.getDescriptor(), evictions);
        builder = builder.visit(advice(EVICTING_ADVICE, id).on(ElementMatchers.is(method)));
        writeMethods++;
      }
    }
    if (cachedMethods + writeMethods > 0) {
      AgentLog.info("instrumented " + type.getName() + " (" + cachedMethods + " cached, " + writeMethods + " evicting)");
    }
    for (MethodRule rule : cachedRules) {
      if (!matched.contains(rule)) {
        reportNoMatch(type, "methods[" + rule.index() + "].method", rule.signature(), true);
      }
    }
    for (InstrumentationPlan.WriteRule write : writeRules) {
      if (!matched.contains(write)) {
        reportNoMatch(type, "methods[" + write.cached().index() + "].evictOn", write.write(), false);
      }
    }
    return builder;
  }

  /** Says, once, that a signature names no method of its class, and what was probably meant (as the check command does). */
  private static void reportNoMatch(TypeDescription type, String path, MethodSignature signature, boolean cached) {
    String why = SignatureCheck.diagnose(type, signature, cached, List::of).detail();
    AgentLog.warn("no-match:" + path + signature, path + " \"" + signature + "\" matches no method: " + why + "; that rule does nothing");
  }

  private Advice advice(TypeDescription adviceType, int id) {
    return Advice.withCustomMapping().bind(MethodId.class, id).to(adviceType, adviceLocator);
  }
}
