package io.cacheagent.instrument;

import io.cacheagent.jdk.Immutable;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;

/** The classes a method's declared return type names: itself, its type arguments, their arguments. */
final class ValueTypes {

  private static final int MAX_DEPTH = 8;

  /**
   * Types whose instances stand for a result still to come, or one to be consumed once: caching
   * one would store the future or the stream itself, which cannot be serialized, and log that on
   * every call. The Reactive Streams name is built at run time: as a constant it would be
   * relocated with the agent's own copy of that library, and match only that copy.
   */
  private static final List<String> RESULTS_STILL_TO_COME = Immutable.listOf(
      "java.util.concurrent.Future", "java.util.concurrent.CompletionStage", "java.util.concurrent.Flow$Publisher",
      String.join(".", "org", "reactivestreams", "Publisher"), "java.util.stream.BaseStream");

  /**
   * The future types whose value the agent caches: a hit returns an already completed
   * CompletableFuture, which is both. Their subtypes (a ListenableFuture, a CompletableFuture of
   * the application's own) are not: a completed CompletableFuture is not one of them.
   */
  private static final List<String> CACHED_FUTURES = Immutable.listOf("java.util.concurrent.CompletableFuture", "java.util.concurrent.CompletionStage");

  private ValueTypes() {}

  /** Whether the declared return type is a future whose value the agent caches (see {@link #futureValue}). */
  static boolean isCachedFuture(TypeDescription.Generic returnType) {
    try {
      return CACHED_FUTURES.contains(returnType.asErasure().getName());
    } catch (RuntimeException | LinkageError unreadable) {
      return false; // a type that cannot be resolved (not on the class path check was given) is not one of these
    }
  }

  /**
   * For a {@link #isCachedFuture cached future} type such as {@code CompletableFuture<Product>}: the
   * type of the value it completes with; {@code null} when the declared type does not name one
   * (raw, or a wildcard), and the value's class could not be checked.
   */
  static TypeDescription.Generic futureValue(TypeDescription.Generic returnType) {
    if (returnType.getSort() != TypeDefinition.Sort.PARAMETERIZED || returnType.getTypeArguments().size() != 1) {
      return null;
    }
    TypeDescription.Generic value = returnType.getTypeArguments().get(0);
    return value.getSort() == TypeDefinition.Sort.WILDCARD ? null : value;
  }

  /** Binary names, the return type's erasure first; e.g. {@code java.util.Map, java.lang.String, com.acme.Product}. */
  static List<String> of(TypeDescription.Generic returnType) {
    Set<String> names = new LinkedHashSet<>();
    names.add(returnType.asErasure().getName());
    collect(returnType, names, 0);
    return new ArrayList<>(names);
  }

  private static void collect(TypeDescription.Generic type, Set<String> names, int depth) {
    if (depth > MAX_DEPTH) {
      return;
    }
    TypeDefinition.Sort sort = type.getSort();
    if (sort == TypeDefinition.Sort.PARAMETERIZED) {
      names.add(type.asErasure().getName());
      for (TypeDescription.Generic argument : type.getTypeArguments()) {
        collect(argument, names, depth + 1);
      }
    } else if (sort == TypeDefinition.Sort.GENERIC_ARRAY) {
      collect(type.getComponentType(), names, depth + 1);
    } else if (sort == TypeDefinition.Sort.WILDCARD || sort == TypeDefinition.Sort.VARIABLE) {
      for (TypeDescription.Generic bound : type.getUpperBounds()) {
        collect(bound, names, depth + 1);
      }
    } else if (sort == TypeDefinition.Sort.NON_GENERIC) {
      TypeDescription erasure = type.asErasure();
      while (erasure.isArray()) {
        erasure = erasure.getComponentType();
      }
      if (!erasure.isPrimitive()) {
        names.add(erasure.getName());
      }
    }
  }

  /**
   * Whether a declared type names a type variable of a class ({@code T}, {@code Optional<T>},
   * {@code List<? extends T>}), rather than only concrete classes and a method's own variables.
   */
  static boolean dependsOnClassTypeVariable(TypeDescription.Generic type) {
    return dependsOnClassTypeVariable(type, 0);
  }

  /**
   * Which of the {@link #RESULTS_STILL_TO_COME} a declared return type is or extends (a future, a
   * completion stage, a reactive publisher, a stream), or {@code null}: a method returning one is
   * not cached. Supertypes that cannot be read are taken as none of them.
   */
  static String resultStillToCome(TypeDescription.Generic returnType) {
    try {
      return resultStillToCome(returnType.asErasure(), 0);
    } catch (RuntimeException | LinkageError unreadable) {
      return null; // a type that cannot be resolved (not on the class path check was given)
    }
  }

  private static String resultStillToCome(TypeDescription type, int depth) {
    if (type == null || type.isPrimitive() || type.isArray() || depth > MAX_DEPTH) {
      return null;
    }
    if (RESULTS_STILL_TO_COME.contains(type.getName())) {
      return type.getName();
    }
    try {
      List<TypeDescription> parents = new ArrayList<>(type.getInterfaces().asErasures());
      if (type.getSuperClass() != null) {
        parents.add(type.getSuperClass().asErasure());
      }
      for (TypeDescription parent : parents) {
        String found = resultStillToCome(parent, depth + 1);
        if (found != null) {
          return found;
        }
      }
    } catch (RuntimeException | LinkageError unreadable) {
      // a supertype that cannot be resolved: the method is treated as returning a value
    }
    return null;
  }

  private static boolean dependsOnClassTypeVariable(TypeDescription.Generic type, int depth) {
    if (depth > MAX_DEPTH) {
      return false;
    }
    TypeDefinition.Sort sort = type.getSort();
    if (sort == TypeDefinition.Sort.VARIABLE) {
      return type.getTypeVariableSource() instanceof TypeDescription;
    }
    if (sort == TypeDefinition.Sort.VARIABLE_SYMBOLIC) {
      return true; // a variable Byte Buddy could not place: assume the worst
    }
    List<TypeDescription.Generic> parts = new ArrayList<>();
    if (sort == TypeDefinition.Sort.PARAMETERIZED) {
      parts.addAll(type.getTypeArguments());
      if (type.getOwnerType() != null) {
        parts.add(type.getOwnerType());
      }
    } else if (sort == TypeDefinition.Sort.GENERIC_ARRAY) {
      parts.add(type.getComponentType());
    } else if (sort == TypeDefinition.Sort.WILDCARD) {
      parts.addAll(type.getUpperBounds());
      parts.addAll(type.getLowerBounds());
    }
    for (TypeDescription.Generic part : parts) {
      if (dependsOnClassTypeVariable(part, depth + 1)) {
        return true;
      }
    }
    return false;
  }
}
