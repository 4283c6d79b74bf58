package io.cacheagent.instrument;

import io.cacheagent.config.AgentConfig;
import io.cacheagent.config.EvictRule;
import io.cacheagent.config.MethodRule;
import io.cacheagent.config.MethodSignature;
import io.cacheagent.jdk.Immutable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import lombok.Value;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;

/** The configuration indexed by class name: which methods of a class to cache, which to watch as writes. */
final class InstrumentationPlan {

  /** A write signature and the eviction it triggers in one cached method. */
  @Value
  static class WriteRule {

    /** The write signature. */
    MethodSignature write;
    /** The eviction it triggers. */
    EvictRule eviction;
    /** The cached method whose entries it evicts. */
    MethodRule cached;
  }

  private final Map<String, List<MethodRule>> cachedByClass = new HashMap<>();
  private final Map<String, List<WriteRule>> writesByClass = new HashMap<>();
  /** Read for every class the JVM loads: built once. */
  private final Set<String> classNames;

  InstrumentationPlan(AgentConfig config) {
    this(config, Immutable.listOf());
  }

  /**
   * {@code retired}: rules a reload removed, switched off; a class that is transformed again keeps
   * their advice (inert, but their evictions run), as the method table expects.
   */
  InstrumentationPlan(AgentConfig config, List<MethodRule> retired) {
    List<MethodRule> rules = new ArrayList<>(config.methods());
    rules.addAll(retired);
    for (MethodRule rule : rules) {
      cachedByClass.computeIfAbsent(rule.signature().className(), k -> new ArrayList<>()).add(rule);
      for (EvictRule eviction : rule.evictOn()) {
        writesByClass.computeIfAbsent(eviction.write().className(), k -> new ArrayList<>())
            .add(new WriteRule(eviction.write(), eviction, rule));
      }
    }
    Set<String> names = new java.util.HashSet<>(cachedByClass.keySet());
    names.addAll(writesByClass.keySet());
    classNames = Immutable.setCopy(names);
  }

  /** Every class that has something to instrument: the only classes ever transformed. */
  Set<String> classNames() {
    return classNames;
  }

  List<MethodRule> cachedRules(String className) {
    return cachedByClass.getOrDefault(className, Immutable.listOf());
  }

  List<WriteRule> writeRules(String className) {
    return writesByClass.getOrDefault(className, Immutable.listOf());
  }

  /** Whether a method is the one a signature names: same name and, when listed, same parameter types. */
  static boolean matches(MethodSignature signature, MethodDescription method) {
    if (!method.getInternalName().equals(signature.methodName())) {
      return false;
    }
    List<String> expected = signature.parameterTypes();
    if (expected == null) {
      return true;
    }
    List<TypeDescription> actual = method.getParameters().asTypeList().asErasures();
    if (actual.size() != expected.size()) {
      return false;
    }
    for (int i = 0; i < expected.size(); i++) {
      if (!actual.get(i).getActualName().equals(expected.get(i))) {
        return false;
      }
    }
    return true;
  }

  /** The canonical name of a concrete method, as used in keys: {@code com.acme.Repo#find(long)}. */
  static String canonicalName(TypeDescription type, MethodDescription method) {
    return canonicalName(type.getName(), method);
  }

  /** The canonical name {@code method} would have in the class {@code className}. */
  static String canonicalName(String className, MethodDescription method) {
    StringBuilder name = new StringBuilder(className).append('#').append(method.getInternalName()).append('(');
    List<TypeDescription> params = method.getParameters().asTypeList().asErasures();
    for (int i = 0; i < params.size(); i++) {
      if (i > 0) {
        name.append(',');
      }
      name.append(params.get(i).getActualName());
    }
    return name.append(')').toString();
  }
}
