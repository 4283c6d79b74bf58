package io.cacheagent.instrument;

import io.cacheagent.jdk.Immutable;
import io.cacheagent.jdk.JavaRuntime;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import lombok.Value;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.Opcodes;

/*
 * Answers, while a class loads, which of the configured classes it extends or implements, so that
 * a signature on an interface or abstract method reaches the classes that implement it.
 *
 * Nothing is loaded to find out, and little is parsed: only the header of class files (the names
 * of the superclass and interfaces), taken from the bytes of each class as it loads and, for an
 * ancestor not loaded yet, read once through the same class loader. Only names are kept, per loader
 * (weakly, so that an undeployed web application's loader can go). JDK types are not looked above:
 * they implement no application type.
 *
 * All of this happens only in a class loader that sees a configured interface or abstract class
 * ("open" below): with signatures on concrete classes only, each class costs one map lookup.
 */
final class Supertypes {

  private static final String[] NONE = new String[0];

  /**
   * What is known of one class loader: whether it sees a configured interface or abstract class
   * (under which configured names), and the parents of the classes it loaded or looked up.
   */
  @Value
  private static class Loader {

    /** The configured names it was asked about. */
    Set<String> configured;
    /** Whether it sees a configured interface or abstract class. */
    boolean open;
    /** The parents of the classes it loaded or looked up. */
    Map<String, String[]> parents;
  }

  /**
   * By loader, weakly (a plain map: few loaders, looked up on every class load, and a cache
   * library's read bookkeeping costs more than the lookup itself there). The last one asked is
   * kept aside: classes mostly load in runs from one loader.
   */
  private final Map<ClassLoader, Loader> loaders = new WeakHashMap<>();
  private volatile LastAsked last = new LastAsked(new WeakReference<>(null), null);

  /** The loader asked last (weakly: an undeployed web application's loader must be able to go) and what is known of it. */
  @Value
  private static class LastAsked {

    /** The loader asked last, weakly. */
    WeakReference<ClassLoader> loader;
    /** What is known of it. */
    Loader known;
  }

  /** Whether a type of this name may have application supertypes worth reading; JDK types may not. */
  static boolean isJdkType(String name) {
    return name.startsWith("java.") || name.startsWith("jdk.") || name.startsWith("sun.") || name.startsWith("com.sun.");
  }

  /**
   * Whether {@code loader} sees one of the {@code configured} classes as an interface or abstract
   * class, so that its classes may implement a configured method. Read from the class files once
   * per loader and configuration.
   */
  boolean isOpen(ClassLoader loader, Set<String> configured) {
    if (loader == null || loader == JavaRuntime.platformClassLoader()) {
      return false;
    }
    Loader known = loader(loader);
    if (known.configured() != configured) {
      boolean open = false;
      for (String name : configured) {
        ClassReader header = isJdkType(name) ? null : header(loader, name);
        open |= header != null && (header.getAccess() & (Opcodes.ACC_INTERFACE | Opcodes.ACC_ABSTRACT)) != 0;
      }
      known = new Loader(configured, open, known.parents());
      synchronized (loaders) {
        loaders.put(loader, known);
      }
      last = new LastAsked(new WeakReference<>(loader), known);
    }
    return known.open();
  }

  private Loader loader(ClassLoader loader) {
    LastAsked recent = last;
    if (recent.loader().get() == loader && recent.known() != null) {
      return recent.known();
    }
    Loader known;
    synchronized (loaders) {
      known = loaders.computeIfAbsent(loader, any -> new Loader(Immutable.setOf(), false, new ConcurrentHashMap<>()));
    }
    last = new LastAsked(new WeakReference<>(loader), known);
    return known;
  }

  /** Remembers the parents named in the class file of a class about to be defined or transformed again. */
  void record(ClassLoader loader, String name, byte[] classFile) {
    try {
      loader(loader).parents().put(name, parentsOf(new ClassReader(classFile)));
    } catch (RuntimeException malformed) {
      // the JVM will refuse it; nothing to remember
    }
  }

  /**
   * The names in {@code wanted} that the class {@code name} extends or implements, directly or not
   * (excluding its own name); empty for most classes.
   */
  List<String> among(String name, ClassLoader loader, Set<String> wanted) {
    List<String> found = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    Deque<String> next = new ArrayDeque<>(Immutable.listOf(parents(loader, name)));
    while (!next.isEmpty()) {
      String ancestor = next.poll();
      if (!seen.add(ancestor) || isJdkType(ancestor)) {
        continue;
      }
      if (wanted.contains(ancestor)) {
        found.add(ancestor);
      }
      next.addAll(Immutable.listOf(parents(loader, ancestor)));
    }
    return found;
  }

  /** The superclass and interfaces named in the class file of {@code name}, as {@code loader} finds it; none if it cannot. */
  private String[] parents(ClassLoader loader, String name) {
    Map<String, String[]> known = loader(loader).parents();
    String[] parents = known.get(name);
    if (parents == null) {
      ClassReader header = header(loader, name);
      parents = header == null ? NONE : parentsOf(header);
      known.put(name, parents);
    }
    return parents;
  }

  private static String[] parentsOf(ClassReader header) {
    String[] interfaces = header.getInterfaces();
    List<String> parents = new ArrayList<>(interfaces.length + 1);
    if (header.getSuperName() != null) {
      parents.add(header.getSuperName().replace('/', '.'));
    }
    for (String parent : interfaces) {
      parents.add(parent.replace('/', '.'));
    }
    return parents.toArray(NONE);
  }

  private static ClassReader header(ClassLoader loader, String name) {
    try {
      ClassFileLocator.Resolution classFile = ClassFileLocator.ForClassLoader.of(loader).locate(name);
      return classFile.isResolved() ? new ClassReader(classFile.resolve()) : null;
    } catch (IOException | RuntimeException unreadable) {
      return null; // a class file that cannot be read has no supertypes we can know of
    }
  }
}
