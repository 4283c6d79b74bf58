package io.cacheagent.runtime;

import io.cacheagent.config.BatchRule;
import io.cacheagent.jdk.Immutable;
import io.cacheagent.key.UnstableArgumentException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Which value a batch method returned is whose (see BatchReads): a Map's by its keys, a List's by
 * position in the collection the body got, or by {@code batch.valueId}; and what the caller gets,
 * the cached and the loaded values merged in its order.
 */
final class BatchResults {

  private BatchResults() {}

  /**
   * Reads the value of each missing element out of {@code result} into {@code loaded} (and marks it
   * {@code answered}: to be stored); returns why they cannot be lined up with the elements, or
   * {@code null} when they can.
   */
  static String lineUp(CachedMethod method, BatchReads.Call call, Object result, Object[] loaded, boolean[] answered) {
    BatchRule rule = method.rule.batch();
    if (method.batch.returnsMap()) {
      return result instanceof Map<?, ?> ? readMap(call, (Map<?, ?>) result, loaded, answered) : "returned null, not a Map";
    }
    if (!(result instanceof List<?>)) {
      return "returned null, not a List";
    }
    List<?> list = (List<?>) result;
    return rule != null && rule.valueId() != null ? matchById(method, rule, call, list, loaded, answered)
        : readInOrder(method, call, list, loaded, answered);
  }

  private static String readMap(BatchReads.Call call, Map<?, ?> map, Object[] loaded, boolean[] answered) {
    for (int i = 0; i < loaded.length; i++) {
      if (call.misses[i] != null && map.containsKey(call.elements.get(i))) {
        loaded[i] = map.get(call.elements.get(i));
        answered[i] = true;
      }
    }
    return null;
  }

  /** One value per element, in the order of the collection the body got, which it must have left as it was. */
  private static String readInOrder(CachedMethod method, BatchReads.Call call, List<?> list, Object[] loaded, boolean[] answered) {
    if (list.size() != call.missing) {
      return "asked for " + call.missing + " elements, it returned a List of " + list.size();
    }
    if (!unchanged((Collection<?>) call.values[method.batch.argument()], call)) {
      return "it reordered or changed the collection it was given";
    }
    for (int j = 0; j < call.loadOrder.length; j++) {
      loaded[call.loadOrder[j]] = list.get(j);
      answered[call.loadOrder[j]] = true;
    }
    return null;
  }

  /** Whether the body's collection still holds the missing elements in the order their values are read in. */
  private static boolean unchanged(Collection<?> given, BatchReads.Call call) {
    if (given.size() != call.loadOrder.length) {
      return false;
    }
    Iterator<?> it = given.iterator();
    for (int position : call.loadOrder) {
      if (!Objects.equals(it.next(), call.elements.get(position))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Values matched to elements by their valueId, in any order; an element without one is answered
   * with null (stored where cacheNulls allows, and left out of the merged result).
   */
  private static String matchById(CachedMethod method, BatchRule rule, BatchReads.Call call, List<?> list, Object[] loaded, boolean[] answered) {
    Map<Object, Object> byId = new HashMap<>();
    for (Object value : list) {
      try {
        if (value != null) {
          byId.putIfAbsent(rule.elementOf(value), value);
        }
      } catch (UnstableArgumentException e) {
        return "batch.valueId \"" + rule.valueId() + "\" cannot be read of a value it returned (" + e.getMessage() + ")";
      }
    }
    for (int i = 0; i < loaded.length; i++) {
      if (call.misses[i] != null) {
        loaded[i] = byId.get(call.elements.get(i));
        answered[i] = loaded[i] != null || method.rule.cacheNulls();
      }
    }
    return null;
  }

  /**
   * What the caller gets: an ArrayList of a value per element, or a LinkedHashMap by element, in
   * its order; then any value or key the method returned that is for none of the elements.
   */
  static Object merged(CachedMethod method, BatchReads.Call call, Object[] loaded, Object result) {
    int size = call.elements.size();
    if (!method.batch.returnsMap()) {
      BatchRule rule = method.rule.batch();
      boolean byId = rule != null && rule.valueId() != null;
      List<Object> list = new ArrayList<>(size);
      for (int i = 0; i < size; i++) {
        Object value = call.misses[i] == null ? call.cached[i] : loaded[i];
        if (value != null || !byId) { // matched by id, null is an element the method had no value for
          list.add(value);
        }
      }
      if (byId && result instanceof List<?>) {
        Set<Object> ids = new HashSet<>(call.elements);
        for (Object value : (List<?>) result) {
          if (value != null && !ids.contains(idOrNull(rule, value))) {
            list.add(value);
          }
        }
      }
      return list;
    }
    Map<Object, Object> map = new LinkedHashMap<>();
    Map<?, ?> returned = result instanceof Map<?, ?> ? (Map<?, ?>) result : Immutable.mapOf();
    for (int i = 0; i < size; i++) {
      Object element = call.elements.get(i);
      if (call.misses[i] == null) {
        map.put(element, call.cached[i]);
      } else if (returned.containsKey(element)) {
        map.put(element, loaded[i]);
      }
    }
    returned.forEach(map::putIfAbsent);
    return map;
  }

  private static Object idOrNull(BatchRule rule, Object value) {
    try {
      return rule.elementOf(value);
    } catch (UnstableArgumentException e) {
      return null;
    }
  }

}
