package io.cacheagent.instrument;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.jar.asm.ClassReader;

/*
 * Answers, while a class loads, which of the configured classes it extends or implements, so that
 * a signature on an interface or abstract method reaches the classes that implement it.
 *
 * Nothing is loaded to find out: the direct supertypes of the class come from its own class file
 * (which Byte Buddy has parsed anyway), those of its ancestors from the headers of their class
 * files, read through the same class loader once and remembered by name. Only names are kept, per
 * loader (weakly, so that an undeployed web application's loader can go): a few hundred kilobytes
 * for ten thousand classes. JDK types are not looked above: they implement no application type.
 */
final class Supertypes {

  private static final String[] NONE = new String[0];

  private final Cache<ClassLoader, Map<String, String[]>> parentsByLoader = Caffeine.newBuilder().weakKeys().build();

  /** Whether a type of this name may have application supertypes worth reading; JDK types may not. */
  static boolean isJdkType(String name) {
    return name.startsWith("java.") || name.startsWith("jdk.") || name.startsWith("sun.") || name.startsWith("com.sun.");
  }

  /**
   * The names in {@code wanted} that {@code type} extends or implements, directly or not
   * (excluding its own name); empty for most classes.
   */
  List<String> among(TypeDescription type, ClassLoader loader, Set<String> wanted) {
    List<String> found = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    Deque<String> next = new ArrayDeque<>(directParents(type));
    while (!next.isEmpty()) {
      String name = next.poll();
      if (!seen.add(name) || isJdkType(name)) {
        continue;
      }
      if (wanted.contains(name)) {
        found.add(name);
      }
      for (String parent : parents(loader, name)) {
        next.add(parent);
      }
    }
    return found;
  }

  private static List<String> directParents(TypeDefinition type) {
    List<String> names = new ArrayList<>();
    TypeDescription.Generic superClass = type.getSuperClass();
    if (superClass != null) {
      names.add(superClass.asErasure().getName());
    }
    for (TypeDescription.Generic parent : type.getInterfaces()) {
      names.add(parent.asErasure().getName());
    }
    return names;
  }

  /** The superclass and interfaces named in the class file of {@code name}, as {@code loader} finds it; none if it cannot. */
  private String[] parents(ClassLoader loader, String name) {
    Map<String, String[]> known = parentsByLoader.get(loader, any -> new ConcurrentHashMap<>());
    String[] parents = known.get(name);
    if (parents == null) {
      parents = readParents(loader, name);
      known.put(name, parents);
    }
    return parents;
  }

  private static String[] readParents(ClassLoader loader, String name) {
    try {
      ClassFileLocator.Resolution classFile = ClassFileLocator.ForClassLoader.of(loader).locate(name);
      if (!classFile.isResolved()) {
        return NONE;
      }
      ClassReader header = new ClassReader(classFile.resolve());
      String[] interfaces = header.getInterfaces();
      List<String> parents = new ArrayList<>(interfaces.length + 1);
      if (header.getSuperName() != null) {
        parents.add(header.getSuperName().replace('/', '.'));
      }
      for (String parent : interfaces) {
        parents.add(parent.replace('/', '.'));
      }
      return parents.toArray(NONE);
    } catch (IOException | RuntimeException unreadable) {
      return NONE; // a class file that cannot be read has no supertypes we can know of
    }
  }
}
