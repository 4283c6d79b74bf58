package io.cacheagent.instrument;

import io.cacheagent.config.MethodRule;
import io.cacheagent.config.MethodSignature;
import io.cacheagent.jdk.Immutable;
import io.cacheagent.key.KeyExpression;
import io.cacheagent.logging.AgentLog;
import io.cacheagent.runtime.Batch;
import io.cacheagent.runtime.Eviction;
import io.cacheagent.runtime.MethodTable;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import lombok.Value;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatchers;
import net.bytebuddy.utility.JavaModule;

/**
 * Adds the advice to the configured methods of one class, each with its id bound as a constant:
 * the methods that rules name on the class itself, and those that implement an interface or
 * abstract method that a rule names (see {@link Implementations}). Bridge, synthetic, abstract and
 * native methods never take advice.
 */
final class CacheTransformer implements AgentBuilder.Transformer {

  private static final TypeDescription CACHED_ADVICE = TypeDescription.ForLoadedType.of(CachedMethodAdvice.class);
  private static final TypeDescription BATCH_ADVICE = TypeDescription.ForLoadedType.of(BatchMethodAdvice.class);
  private static final TypeDescription EVICTING_ADVICE = TypeDescription.ForLoadedType.of(EvictingMethodAdvice.class);

  private final Supplier<InstrumentationPlan> plans;
  private final MethodTable table;
  private final Supertypes supertypes = new Supertypes();
  private final ClassFileLocator adviceLocator = ClassFileLocator.ForClassLoader.of(CacheTransformer.class.getClassLoader());
  private final ModuleOpener modules;

  /** {@code plans}: the current plan, replaced when the configuration is reloaded. */
  CacheTransformer(Supplier<InstrumentationPlan> plans, MethodTable table, ModuleOpener modules) {
    this.plans = plans;
    this.table = table;
    this.modules = modules;
  }

  /**
   * Whether the class of this internal name, loaded by {@code loader}, may have anything to
   * instrument: it is named in the plan, or its loader sees a configured interface or abstract
   * class. Asked of every class before Byte Buddy describes it (which parses its class file):
   * answered by a set and a map lookup for the thousands of classes that cannot matter.
   */
  boolean mayConcern(ClassLoader loader, String internalName) {
    if (internalName == null) {
      return false; // a hidden class: never instrumented
    }
    String name = internalName.replace('/', '.');
    Set<String> configured = plans.get().classNames();
    return configured.contains(name) || !Supertypes.isJdkType(name) && supertypes.isOpen(loader, configured);
  }

  /**
   * Called with the bytes of every class about to be defined or transformed again, before
   * {@link #implementsConfigured}: remembers the names of its parents where that may matter.
   */
  void beforeTransform(ClassLoader loader, String internalName, byte[] classFile) {
    if (internalName == null) {
      return;
    }
    try {
      String name = internalName.replace('/', '.');
      if (!Supertypes.isJdkType(name) && supertypes.isOpen(loader, plans.get().classNames())) {
        supertypes.record(loader, name, classFile);
      }
    } catch (RuntimeException | LinkageError e) {
      // never in the way of the class: its parents are read from its class file if needed
    }
  }

  /**
   * Whether {@code type}, not named in the configuration, implements an interface or abstract
   * method that a rule names: whether {@link #adviseInherited} finds anything to advise in it.
   * Asked of every class the application loads; answered by a map lookup unless its class loader
   * sees a configured interface or abstract class.
   */
  boolean implementsConfigured(TypeDescription type, ClassLoader loader) {
    if (Supertypes.isJdkType(type.getName())) {
      return false;
    }
    Targets targets = new Targets();
    adviseInherited(type, loader, plans.get(), targets);
    return !targets.isEmpty();
  }

  @Override
  public DynamicType.Builder<?> transform(
      DynamicType.Builder<?> builder,
      TypeDescription type,
      ClassLoader loader,
      JavaModule module,
      ProtectionDomain protectionDomain) {
    InstrumentationPlan plan = plans.get();
    Targets targets = new Targets();
    adviseDeclared(type, plan, targets);
    adviseInherited(type, loader, plan, targets);
    int cachedMethods = 0;
    for (Map.Entry<MethodDescription.InDefinedShape, Cached> entry : targets.cached.entrySet()) {
      MethodDescription.InDefinedShape method = entry.getKey();
      Cached target = entry.getValue();
      boolean future = ValueTypes.isCachedFuture(method.getReturnType());
      Batch batch = batchOf(method, target.rule());
      TypeDescription.Generic value = future ? ValueTypes.futureValue(method.getReturnType())
          : batch != null ? BatchShape.elementValue(method.getReturnType()) : method.getReturnType();
      int id = table.registerCached(loader, InstrumentationPlan.canonicalName(type, method), target.configuredAs(),
          method.getDescriptor(), target.rule(), ValueTypes.of(value), future, batch);
      builder = builder.visit(advice(batch != null ? BATCH_ADVICE : CACHED_ADVICE, id).on(ElementMatchers.is(method)));
      builder = builder.visit(instanceStateCheck(type, method, target));
      cachedMethods++;
    }
    for (Map.Entry<MethodDescription.InDefinedShape, Writes> entry : targets.writes.entrySet()) {
      MethodDescription.InDefinedShape method = entry.getKey();
      Writes target = entry.getValue();
      int id = table.registerWrite(loader, InstrumentationPlan.canonicalName(type, method), Immutable.listCopy(target.configuredAs),
          method.getDescriptor(), target.evictions);
      builder = builder.visit(advice(EVICTING_ADVICE, id).on(ElementMatchers.is(method)));
    }
    if (!targets.isEmpty()) {
      modules.open(module);
      AgentLog.info("instrumented " + type.getName() + " (" + cachedMethods + " cached, " + targets.writes.size() + " evicting)");
    }
    return builder;
  }

  /** How a method whose rule has {@code batch} takes its elements and returns their values; {@code null} for another. */
  private static Batch batchOf(MethodDescription method, MethodRule rule) {
    if (!rule.isBatch()) {
      return null;
    }
    int argument = rule.batch().argument();
    return new Batch(argument, BatchShape.returnsMap(method.getReturnType()),
        method.getParameters().get(argument).getType().asErasure().getName());
  }

  /** What one class's methods get: the rule of each cached method, the evictions of each write method. */
  private static final class Targets {
    final Map<MethodDescription.InDefinedShape, Cached> cached = new LinkedHashMap<>();
    final Map<MethodDescription.InDefinedShape, Writes> writes = new LinkedHashMap<>();

    boolean isEmpty() {
      return cached.isEmpty() && writes.isEmpty();
    }

    void write(MethodDescription.InDefinedShape method, String configuredAs, Eviction eviction) {
      Writes target = writes.computeIfAbsent(method, m -> new Writes());
      target.configuredAs.add(configuredAs);
      target.evictions.add(eviction);
    }
  }

  @Value
  private static class Cached {

    /** The rule of the cached method. */
    MethodRule rule;
    /** Its signature as configured. */
    String configuredAs;
  }

  private static final class Writes {
    final Set<String> configuredAs = new LinkedHashSet<>();
    final List<Eviction> evictions = new ArrayList<>();
  }

  /** The rules that name this class itself; each one that matches nothing is reported with what was probably meant. */
  private void adviseDeclared(TypeDescription type, InstrumentationPlan plan, Targets targets) {
    List<MethodRule> cachedRules = plan.cachedRules(type.getName());
    List<InstrumentationPlan.WriteRule> writeRules = plan.writeRules(type.getName());
    if (cachedRules.isEmpty() && writeRules.isEmpty()) {
      return;
    }
    Set<Object> matched = new HashSet<>();
    for (MethodDescription.InDefinedShape method : type.getDeclaredMethods()) {
      if (!method.isMethod() || method.isNative() || method.isBridge() || method.isSynthetic()) {
        continue;
      }
      String name = InstrumentationPlan.canonicalName(type, method);
      for (MethodRule rule : cachedRules) {
        if (InstrumentationPlan.matches(rule.signature(), method)) {
          matched.add(rule); // an abstract method: its implementations take the rule when they load
          if (!method.isAbstract() && cacheable(rule, method, name)) {
            targets.cached.putIfAbsent(method, new Cached(rule, name)); // rules in force come before retired ones
          }
        }
      }
      for (InstrumentationPlan.WriteRule write : writeRules) {
        if (InstrumentationPlan.matches(write.write(), method)) {
          matched.add(write);
          if (!method.isAbstract()) {
            checkEvictionKey(type, method, write);
            targets.write(method, name, Eviction.of(write.eviction(), write.cached(), table.keyNames()));
          }
        }
      }
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
  }

  /**
   * The rules that name an abstract method of a supertype of this class, applied to the methods
   * of this class that implement it. A method that a rule on its own class already caches keeps
   * that rule. Looked for only where the class loader sees a configured interface or abstract class.
   */
  private void adviseInherited(TypeDescription type, ClassLoader loader, InstrumentationPlan plan, Targets targets) {
    if (!supertypes.isOpen(loader, plan.classNames())) {
      return;
    }
    List<String> ancestors = supertypes.among(type.getName(), loader, plan.classNames());
    if (ancestors.isEmpty() || !Implementations.mayImplement(type)) {
      return;
    }
    try {
      for (String ancestorName : ancestors) {
        TypeDescription ancestor = Implementations.ancestor(type, ancestorName);
        if (ancestor != null) {
          adviseImplementations(type, ancestor, plan, targets);
        }
      }
    } catch (RuntimeException | LinkageError unresolvable) {
      reportUnresolvable(type, unresolvable); // the rules on the class itself still apply
    }
  }

  private void adviseImplementations(TypeDescription type, TypeDescription ancestor, InstrumentationPlan plan, Targets targets) {
    String ancestorName = ancestor.getName();
    for (MethodRule rule : plan.cachedRules(ancestorName)) {
      for (MethodDescription.InDefinedShape method : Implementations.of(type, ancestor, rule.signature())) {
        String configuredAs = configuredAs(rule.signature(), ancestorName, method);
        if (!targets.cached.containsKey(method) && cacheable(rule, method, InstrumentationPlan.canonicalName(type, method))) {
          targets.cached.put(method, new Cached(rule, configuredAs));
        }
      }
    }
    for (InstrumentationPlan.WriteRule write : plan.writeRules(ancestorName)) {
      for (MethodDescription.InDefinedShape method : Implementations.of(type, ancestor, write.write())) {
        checkEvictionKey(type, method, write);
        targets.write(method, configuredAs(write.write(), ancestorName, method),
            Eviction.of(write.eviction(), write.cached(), table.keyNames()));
      }
    }
  }

  /** The name an implementing method's keys live under: the signature as configured, or per overload when it lists no parameters. */
  private static String configuredAs(MethodSignature signature, String ancestorName, MethodDescription method) {
    return signature.hasParameterList() ? signature.toString() : InstrumentationPlan.canonicalName(ancestorName, method);
  }

  /**
   * Whether a method a rule matches can be cached; says why not, once: it returns void, a future
   * or the like (see {@link ValueTypes#resultStillToCome}), or a type variable of its class
   * ({@code T findById(long)} in {@code GenericDao<T>}), whose instances and subclasses each bind
   * it differently: a {@code BookDao} would be served an {@code Author} cached by an
   * {@code AuthorDao} under the same arguments.
   */
  private static boolean cacheable(MethodRule rule, MethodDescription method, String name) {
    String why;
    String returnTypeProblem = returnTypeProblem(method);
    String batchProblem = rule.isBatch() ? BatchShape.problem(method, rule.batch()) : null;
    if (returnTypeProblem != null) {
      why = "which " + returnTypeProblem;
    } else if (batchProblem != null) {
      why = "which " + batchProblem;
    } else if (method.isStatic() && rule.key() != null && rule.key().stream().anyMatch(KeyExpression::startsAtInstance)) {
      why = "which is static, but its key names this; not cached. Key it by its arguments";
    } else if (ValueTypes.dependsOnClassTypeVariable(method.getReturnType())) {
      why = "which returns " + method.getReturnType().getTypeName() + ", a type variable of its class: instances and"
          + " subclasses that bind it differently would share entries; not cached. Cache a method whose return type names the class";
    } else {
      return true;
    }
    AgentLog.warn("uncacheable:" + name, "methods[" + rule.index() + "].method \"" + rule.signature() + "\" matches " + name + ", " + why);
    return false;
  }

  /**
   * Why no method of this return type is cached, whatever its rule: void, a CompletableFuture or
   * CompletionStage that does not name its value's type, or another future, a publisher or a
   * stream (see {@link ValueTypes#resultStillToCome}); {@code null} when none. The check command
   * says it in the same words.
   */
  static String returnTypeProblem(MethodDescription method) {
    if (method.getReturnType().represents(void.class)) {
      return "returns void: nothing to cache; use it in evictOn instead";
    }
    if (ValueTypes.isCachedFuture(method.getReturnType())) {
      return futureProblem(method.getReturnType());
    }
    String stillToCome = ValueTypes.resultStillToCome(method.getReturnType());
    if (stillToCome != null) {
      return "returns " + method.getReturnType().getTypeName() + ", a result still to come or to be consumed once (a "
          + stillToCome + "): the agent caches values, and of futures only those a CompletableFuture or CompletionStage"
          + " completes with; not cached. Cache the method that computes the value instead";
    }
    return null;
  }

  /** Why a method returning this CompletableFuture or CompletionStage is not cached; {@code null} when it is. */
  private static String futureProblem(TypeDescription.Generic future) {
    TypeDescription.Generic value = ValueTypes.futureValue(future);
    if (value == null) {
      return "returns " + future.getTypeName() + " without naming the type of its value: not cached. Declare it, as in"
          + " CompletableFuture<Product>";
    }
    if (value.represents(Void.class)) {
      return "returns " + future.getTypeName() + ": nothing to cache; use it in evictOn instead";
    }
    String stillToCome = ValueTypes.resultStillToCome(value);
    return stillToCome == null ? null : "returns " + future.getTypeName() + ", whose value is a result still to come or to be"
        + " consumed once (a " + stillToCome + "): not cached. Cache the method that computes the value instead";
  }

  /**
   * Where the declared types of a write method show that its eviction can never evict an entry
   * (see {@link EvictionKeyCheck}), says so, and has the method table stop serving the cached method
   * in this JVM and the eviction drop every entry instead: a cache that may be stale after every
   * such write must not serve.
   */
  private void checkEvictionKey(TypeDescription type, MethodDescription method, InstrumentationPlan.WriteRule write) {
    String problem = EvictionKeyCheck.problem(type, method, write.eviction(), write.cached());
    if (problem != null) {
      MethodRule cached = write.cached();
      String path = "methods[" + cached.index() + "].evictOn[" + cached.evictOn().indexOf(write.eviction()) + "].key";
      AgentLog.warn("eviction-key:" + path + ":" + InstrumentationPlan.canonicalName(type, method), path + " " + problem
          + "; " + cached.signature() + " is not cached in this JVM, and each call of " + InstrumentationPlan.canonicalName(type, method)
          + " drops all its entries. Fix the key and save the file");
      table.refuse(cached, write.eviction(), problem);
    }
  }

  /** Says, once per class, that its supertypes could not be read, so interface rules do not reach it. */
  private static void reportUnresolvable(TypeDescription type, Throwable why) {
    AgentLog.warn("supertypes:" + type.getName(), "cannot read the supertypes of " + type.getName() + " (" + why
        + "); signatures on interfaces or abstract methods do not reach it");
  }

  /** Says, once, that a signature names no method of its class, and what was probably meant (as the check command does). */
  private static void reportNoMatch(TypeDescription type, String path, MethodSignature signature, boolean cached) {
    String why = SignatureCheck.diagnose(type, signature, cached, Immutable::listOf).detail();
    AgentLog.warn("no-match:" + path + signature, path + " \"" + signature + "\" matches no method: " + why + "; that rule does nothing");
  }

  /**
   * Reads the cached method's body as it is rewritten, and warns once when it reads state of the
   * instance that its key does not name (see {@link InstanceState}).
   */
  private static AsmVisitorWrapper instanceStateCheck(TypeDescription type, MethodDescription.InDefinedShape method, Cached target) {
    return new AsmVisitorWrapper.ForDeclaredMethods().method(ElementMatchers.is(method),
        (instrumentedType, instrumentedMethod, visitor, context, pool, writerFlags, readerFlags) ->
            InstanceState.recorder(visitor, fieldsRead -> {
              String warning = InstanceState.warning(type, method, target.rule(), fieldsRead);
              if (warning != null) {
                AgentLog.warn("instance-state:" + target.rule().index() + ":" + InstrumentationPlan.canonicalName(type, method),
                    "methods[" + target.rule().index() + "].method \"" + target.rule().signature() + "\": " + warning);
              }
            }));
  }

  private Advice advice(TypeDescription adviceType, int id) {
    return Advice.withCustomMapping().bind(MethodId.class, id).to(adviceType, adviceLocator);
  }
}
