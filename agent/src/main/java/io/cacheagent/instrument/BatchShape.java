package io.cacheagent.instrument;

import io.cacheagent.config.BatchRule;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;

/**
 * What a method with {@code batch: args[N]} must declare: a Collection as argument N, and a List
 * (one result per element, in the same order) or a Map keyed by the elements as its return type,
 * naming the type of its values, which each element's entry holds. The agent hands the body an
 * ArrayList or LinkedHashMap merged from cached and loaded elements: the declared type must take one.
 */
final class BatchShape {

  private static final TypeDescription COLLECTION = TypeDescription.ForLoadedType.of(Collection.class);
  private static final TypeDescription LIST = TypeDescription.ForLoadedType.of(List.class);
  private static final TypeDescription MAP = TypeDescription.ForLoadedType.of(Map.class);
  private static final TypeDescription ARRAY_LIST = TypeDescription.ForLoadedType.of(ArrayList.class);
  private static final TypeDescription LINKED_HASH_MAP = TypeDescription.ForLoadedType.of(LinkedHashMap.class);

  private BatchShape() {}

  /** Why {@code method} cannot be cached with {@code batch}; {@code null} when it can. */
  static String problem(MethodDescription method, BatchRule batch) {
    int argument = batch.argument();
    try {
      if (argument >= method.getParameters().size()) {
        return "has no args[" + argument + "] for batch to name: not cached";
      }
      TypeDescription parameter = method.getParameters().get(argument).getType().asErasure();
      if (!parameter.isAssignableTo(COLLECTION)) {
        return "takes a " + parameter.getName() + " as args[" + argument + "], which batch names, but batch needs a"
            + " Collection of the elements (ids) to read: not cached";
      }
      TypeDescription.Generic returned = method.getReturnType();
      if (!returnsList(returned) && !returnsMap(returned)) {
        return "returns " + typeName(returned) + ", but batch needs a List (one result per element, in order) or a Map"
            + " keyed by the elements: not cached";
      }
      if (batch.valueId() != null && !returnsList(returned)) {
        return "returns " + returned.getTypeName() + ", but batch.valueId matches the values of a List to their elements;"
            + " a Map is read by its keys: remove valueId";
      }
      TypeDescription.Generic element = elementValue(returned);
      if (element == null) {
        return "returns " + returned.getTypeName() + " without naming the type of its values, which batch caches one entry"
            + " each: not cached. Declare it, as in List<Product> or Map<Long, Product>";
      }
      return sharedEntryProblem(method, batch, element);
    } catch (RuntimeException | LinkageError unreadable) {
      return "has types that cannot be read (" + unreadable + "), which batch needs: not cached";
    }
  }

  /**
   * Where entriesOf names a method of the same class, why its entries cannot be the elements: it
   * returns another type than one element (each would take the other's entries for misses, and
   * replace them); {@code null} when it returns the same, or is in another class (not read here).
   */
  private static String sharedEntryProblem(MethodDescription method, BatchRule batch, TypeDescription.Generic element) {
    if (batch.entriesOf() == null || !batch.entriesOf().className().equals(method.getDeclaringType().asErasure().getName())) {
      return null;
    }
    for (MethodDescription single : method.getDeclaringType().asErasure().getDeclaredMethods()) {
      if (InstrumentationPlan.matches(batch.entriesOf(), single)) {
        TypeDescription.Generic returned = single.getReturnType();
        boolean same = returned.asErasure().asBoxed().equals(element.asErasure())
            && (returned.getSort() == TypeDefinition.Sort.NON_GENERIC || returned.getTypeName().equals(element.getTypeName()));
        return same ? null : "has batch.entriesOf " + batch.entriesOf() + ", which returns " + typeName(returned)
            + ", but one element of the batch is a " + typeName(element) + ": they cannot share entries; not cached";
      }
    }
    return "has batch.entriesOf " + batch.entriesOf() + ", which its class does not declare: not cached";
  }

  /** As the source declares it: {@code Item[]}, {@code List<Item>}. */
  private static String typeName(TypeDescription.Generic type) {
    return type.getSort() == TypeDefinition.Sort.NON_GENERIC ? type.asErasure().getActualName() : type.getTypeName();
  }

  /** Whether the declared return type is a List the agent may return an ArrayList as. */
  static boolean returnsList(TypeDescription.Generic returned) {
    TypeDescription erasure = returned.asErasure();
    return erasure.isAssignableTo(LIST) && ARRAY_LIST.isAssignableTo(erasure);
  }

  /** Whether the declared return type is a Map the agent may return a LinkedHashMap as. */
  static boolean returnsMap(TypeDescription.Generic returned) {
    TypeDescription erasure = returned.asErasure();
    return erasure.isAssignableTo(MAP) && LINKED_HASH_MAP.isAssignableTo(erasure);
  }

  /**
   * The type each element's entry holds: {@code Product} of {@code List<Product>} or of {@code
   * Map<Long, Product>}; {@code null} when the declared type does not name it (raw, a wildcard).
   */
  static TypeDescription.Generic elementValue(TypeDescription.Generic returned) {
    if (returned.getSort() != TypeDefinition.Sort.PARAMETERIZED) {
      return null;
    }
    List<TypeDescription.Generic> arguments = returned.getTypeArguments();
    if (arguments.isEmpty()) {
      return null;
    }
    TypeDescription.Generic value = arguments.get(arguments.size() - 1);
    return value.getSort() == TypeDefinition.Sort.WILDCARD ? null : value;
  }
}
