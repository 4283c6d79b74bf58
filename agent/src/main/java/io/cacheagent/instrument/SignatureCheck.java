package io.cacheagent.instrument;

import io.cacheagent.codec.JpaEntities;
import io.cacheagent.config.EvictRule;
import io.cacheagent.config.MethodRule;
import io.cacheagent.config.MethodSignature;
import io.cacheagent.jdk.Immutable;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import lombok.Value;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;

/*
 * Tells, without running the application, whether a signature of the configuration names a method
 * the agent can instrument in a given class path, and if not, what the operator probably meant.
 *
 * Classes are read as class files (Byte Buddy's TypePool), never loaded, so nothing of the
 * application runs. Diagnoses, in order: class not on the class path; a lambda; an abstract or
 * interface method (it matches when a class on the class path implements it: the rule applies to
 * those classes); wrong parameter types
 * (with the overloads that exist); a misspelt name (with the closest names); a void method to cache.
 */
public final class SignatureCheck implements AutoCloseable {

  /** The verdict on one signature: whether it matches, and one line saying what or why not. */
  @Value
  public static class Verdict {

    /** Whether the signature matches. */
    boolean matches;
    /** One line saying what or why not. */
    String detail;
  }

  private final List<Path> classPath;
  private final ClassFileLocator locator;
  private final TypePool pool;
  private List<String> allClassNames;
  private final Map<MethodRule, List<Match>> cachedByRule = new java.util.IdentityHashMap<>();

  /** {@code classPath}: directories and jar files, as a class path lists them. */
  public SignatureCheck(List<Path> classPath) throws IOException {
    this.classPath = Immutable.listCopy(classPath);
    List<ClassFileLocator> locators = new ArrayList<>();
    for (Path entry : classPath) {
      locators.add(Files.isDirectory(entry) ? new ClassFileLocator.ForFolder(entry.toFile()) : ClassFileLocator.ForJarFile.of(entry.toFile()));
    }
    locators.add(ClassFileLocator.ForClassLoader.ofPlatformLoader());
    this.locator = new ClassFileLocator.Compound(locators);
    this.pool = TypePool.Default.of(locator);
  }

  /** The verdict on {@code signature}; {@code cached} for a cached method, else a write method. */
  public Verdict check(MethodSignature signature, boolean cached) {
    TypePool.Resolution resolution = pool.describe(signature.className());
    if (!resolution.isResolved()) {
      return new Verdict(false, "class " + signature.className() + " is not on the class path");
    }
    TypeDescription type = resolution.resolve();
    return diagnose(type, signature, cached, () -> implementationsOf(type, signature).stream()
        .map(match -> InstrumentationPlan.canonicalName(match.type(), match.method())).collect(Collectors.toList()));
  }

  /**
   * The verdict on {@code signature} in a class already at hand (the agent has it at load time);
   * {@code implementations} lists the classes implementing an abstract method, when that is known.
   */
  static Verdict diagnose(TypeDescription type, MethodSignature signature, boolean cached, Supplier<List<String>> implementations) {
    if (signature.methodName().startsWith("lambda$")) {
      return new Verdict(false, "a lambda's body cannot be instrumented; name the method that calls it");
    }
    List<String> matching = new ArrayList<>();
    List<String> abstractMatching = new ArrayList<>();
    List<String> uncacheable = new ArrayList<>();
    List<String> sameName = new ArrayList<>();
    for (MethodDescription.InDefinedShape method : type.getDeclaredMethods()) {
      if (!method.isMethod() || method.isBridge() || method.isSynthetic()) {
        continue;
      }
      String name = InstrumentationPlan.canonicalName(type, method);
      if (method.getInternalName().equals(signature.methodName())) {
        sameName.add(name);
      }
      if (InstrumentationPlan.matches(signature, method)) {
        String why = cached ? CacheTransformer.returnTypeProblem(method) : null;
        if (why != null) {
          uncacheable.add(name + " " + why); // the agent leaves it as it is, and the implementations of an abstract one
        } else if (method.isAbstract() || method.isNative()) {
          abstractMatching.add(name);
        } else {
          matching.add(name);
        }
      }
    }
    if (!matching.isEmpty()) {
      return new Verdict(true, "matches " + String.join(", ", matching)
          + (uncacheable.isEmpty() ? "" : "; not cached: " + String.join("; ", uncacheable)));
    }
    if (!abstractMatching.isEmpty()) {
      List<String> implementing = implementations.get();
      String what = String.join(", ", abstractMatching) + " is abstract" + (type.isInterface() ? " (an interface)" : "");
      return implementing.isEmpty()
          ? new Verdict(false, what + " and no class on the class path implements it")
          : new Verdict(true, what + "; applies to " + String.join(", ", implementing));
    }
    if (!uncacheable.isEmpty()) {
      return new Verdict(false, String.join("; ", uncacheable));
    }
    if (!sameName.isEmpty()) {
      return new Verdict(false, "no overload with these parameter types; " + type.getName() + " declares " + String.join(", ", sameName));
    }
    List<String> closest = closestNames(type, signature.methodName());
    return new Verdict(false, type.getName() + " declares no method named " + signature.methodName()
        + (closest.isEmpty() ? "" : "; closest: " + String.join(", ", closest)));
  }

  /**
   * Warnings about a cached method that matches: each method it caches that reads state of its
   * instance that the rule's key does not name (see {@link InstanceState}).
   */
  public List<String> warnings(MethodRule rule) {
    List<String> warnings = new ArrayList<>();
    for (Match match : cachedMethods(rule)) {
      try {
        byte[] classFile = locator.locate(match.type().getName()).resolve();
        String warning = InstanceState.warning(match.type(), match.method(), rule, InstanceState.readBy(classFile, match.method()));
        if (warning != null) {
          warnings.add(warning);
        }
      } catch (IOException | RuntimeException unreadable) {
        // a class file that cannot be read again gives no warning; the verdict stands
      }
    }
    return warnings;
  }

  /** Why the methods a rule with {@code batch} matches are not cached, each as the agent's log would say (see BatchShape). */
  public List<String> batchProblems(MethodRule rule) {
    List<String> problems = new ArrayList<>();
    if (!rule.isBatch()) {
      return problems;
    }
    for (Match match : cachedMethods(rule)) {
      String problem = BatchShape.problem(match.method(), rule.batch());
      if (problem != null) {
        problems.add(InstrumentationPlan.canonicalName(match.type(), match.method()) + " " + problem);
      }
    }
    return problems;
  }

  /** What an operator should know of a cached method that matches: each method it caches that returns a JPA entity. */
  public List<String> notes(MethodRule rule) {
    List<String> notes = new ArrayList<>();
    for (Match match : cachedMethods(rule)) {
      String entity = entityNamedBy(match.method().getReturnType(), 0);
      if (entity != null) {
        notes.add(InstrumentationPlan.canonicalName(match.type(), match.method()) + " returns " + entity
            + ", a JPA entity: an entry holds its detached copy (loaded collections as JDK collections; collections"
            + " and lazy references not loaded throw LazyInitializationException when touched, as on a detached"
            + " entity); not served inside a caller's transaction, nor with parts"
            + " not loaded under open-in-view; stored only once its transaction committed");
      }
    }
    return notes;
  }

  /**
   * The methods a cached rule caches on the class path: those it names, or those implementing it.
   * Found once per rule: notes and warnings both ask, and finding implementations reads every class.
   */
  private List<Match> cachedMethods(MethodRule rule) {
    return cachedByRule.computeIfAbsent(rule, this::findCachedMethods);
  }

  private List<Match> findCachedMethods(MethodRule rule) {
    TypePool.Resolution resolution = pool.describe(rule.signature().className());
    if (!resolution.isResolved()) {
      return Immutable.listOf();
    }
    TypeDescription type = resolution.resolve();
    List<Match> cached = new ArrayList<>();
    boolean onAbstract = false;
    for (MethodDescription.InDefinedShape method : type.getDeclaredMethods()) {
      if (method.isMethod() && !method.isBridge() && !method.isSynthetic() && InstrumentationPlan.matches(rule.signature(), method)) {
        if (method.isAbstract() || method.isNative()) {
          onAbstract = true;
        } else {
          cached.add(new Match(type, method));
        }
      }
    }
    if (onAbstract) {
      cached.addAll(implementationsOf(type, rule.signature()));
    }
    return cached;
  }

  /**
   * Why an eviction can never evict an entry of {@code cached}, as the declared types of the write
   * methods it names show (see {@link EvictionKeyCheck}), or {@code null}.
   */
  public String evictionKeyProblem(MethodRule cached, EvictRule eviction) {
    TypePool.Resolution resolution = pool.describe(eviction.write().className());
    if (!resolution.isResolved()) {
      return null;
    }
    TypeDescription type = resolution.resolve();
    for (MethodDescription.InDefinedShape method : type.getDeclaredMethods()) {
      if (method.isMethod() && !method.isBridge() && !method.isSynthetic() && InstrumentationPlan.matches(eviction.write(), method)) {
        String problem = EvictionKeyCheck.problem(type, method, eviction, cached);
        if (problem != null) {
          return problem;
        }
      }
    }
    return null;
  }

  /** The first JPA entity class a declared type names ({@code Author}, {@code Optional<Author>}), or {@code null}. */
  private static String entityNamedBy(TypeDescription.Generic type, int depth) {
    if (depth > 4) {
      return null;
    }
    try {
      TypeDescription erasure = type.asErasure();
      while (erasure.isArray()) {
        erasure = erasure.getComponentType();
      }
      if (!erasure.isPrimitive() && erasure.getDeclaredAnnotations().stream()
          .anyMatch(annotation -> JpaEntities.isEntityAnnotation(annotation.getAnnotationType().getName()))) {
        return erasure.getName();
      }
      if (type.getSort() == net.bytebuddy.description.type.TypeDefinition.Sort.PARAMETERIZED) {
        for (TypeDescription.Generic argument : type.getTypeArguments()) {
          String found = entityNamedBy(argument, depth + 1);
          if (found != null) {
            return found;
          }
        }
      }
    } catch (RuntimeException unresolvable) {
      // a type that is not on the class path: nothing to say about it
    }
    return null;
  }

  /** A method of the class path, with the class that declares it. */
  @Value
  private static class Match {

    /** The class that declares the method. */
    TypeDescription type;
    /** The method. */
    MethodDescription method;
  }

  /** The methods on the class path that implement the abstract method, as the agent finds them at load time. */
  private List<Match> implementationsOf(TypeDescription type, MethodSignature signature) {
    List<Match> found = new ArrayList<>();
    for (String className : allClassNames()) {
      TypePool.Resolution resolution = pool.describe(className);
      if (!resolution.isResolved()) {
        continue;
      }
      TypeDescription candidate = resolution.resolve();
      try {
        if (!Implementations.mayImplement(candidate) || Implementations.ancestor(candidate, type.getName()) == null) {
          continue;
        }
        for (MethodDescription method : Implementations.of(candidate, type, signature)) {
          found.add(new Match(candidate, method));
        }
      } catch (RuntimeException unresolvable) {
        // a supertype that is not on the class path: it cannot be told whether or how it implements the method
      }
    }
    return found;
  }

  private static List<String> closestNames(TypeDescription type, String wanted) {
    return type.getDeclaredMethods().stream()
        .filter(m -> m.isMethod() && !m.isBridge() && !m.isSynthetic())
        .filter(m -> distance(m.getInternalName().toLowerCase(), wanted.toLowerCase()) <= Math.max(2, wanted.length() / 4))
        .sorted(Comparator.comparingInt(m -> distance(m.getInternalName(), wanted)))
        .map(m -> InstrumentationPlan.canonicalName(type, m))
        .distinct()
        .limit(3)
        .collect(Collectors.toList());
  }

  /** Levenshtein distance. */
  private static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }

  private List<String> allClassNames() {
    if (allClassNames == null) {
      List<String> names = new ArrayList<>();
      for (Path entry : classPath) {
        try {
          if (Files.isDirectory(entry)) {
            try (Stream<Path> files = Files.walk(entry)) {
              files.filter(f -> f.toString().endsWith(".class")).forEach(f -> names.add(className(entry.relativize(f).toString())));
            }
          } else {
            try (JarFile jar = new JarFile(entry.toFile())) {
              jar.stream().map(JarEntry::getName).filter(n -> n.endsWith(".class") && !n.startsWith("META-INF/"))
                  .forEach(n -> names.add(className(n)));
            }
          }
        } catch (IOException e) {
          // an unreadable entry adds no candidates
        }
      }
      names.removeIf(n -> n.endsWith("module-info") || n.endsWith("package-info"));
      allClassNames = names;
    }
    return allClassNames;
  }

  private static String className(String path) {
    return path.substring(0, path.length() - ".class".length()).replace(File.separatorChar, '.').replace('/', '.');
  }

  @Override
  public void close() throws IOException {
    locator.close();
  }
}
