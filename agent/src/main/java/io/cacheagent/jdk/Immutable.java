package io.cacheagent.jdk;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Unmodifiable lists, sets and maps, as {@code List.of}, {@code Set.of}, {@code Map.of} and their
 * {@code copyOf} make them on Java 9 and later; the agent runs on Java 8 too. Like those, they
 * refuse {@code null} elements, keys and values. Unlike them, sets and maps keep the order given,
 * and {@code contains(null)} answers {@code false}.
 */
public final class Immutable {

  private Immutable() {}

  @SafeVarargs
  public static <E> List<E> listOf(E... elements) {
    return listCopy(Arrays.asList(elements));
  }

  public static <E> List<E> listCopy(Collection<? extends E> elements) {
    if (elements.isEmpty()) {
      return Collections.emptyList();
    }
    return Collections.unmodifiableList(copyInto(new ArrayList<>(elements.size()), elements));
  }

  @SafeVarargs
  public static <E> Set<E> setOf(E... elements) {
    return setCopy(Arrays.asList(elements));
  }

  public static <E> Set<E> setCopy(Collection<? extends E> elements) {
    if (elements.isEmpty()) {
      return Collections.emptySet();
    }
    return Collections.unmodifiableSet(copyInto(new LinkedHashSet<>(elements.size() * 2), elements));
  }

  public static <K, V> Map<K, V> mapOf() {
    return Collections.emptyMap();
  }

  /**
   * A map of the pairs in {@code keysAndValues}: key, value, key, value... The caller's declared
   * type says what the keys and values are; this checks only that they come in pairs.
   */
  @SuppressWarnings("unchecked")
  public static <K, V> Map<K, V> mapOf(Object... keysAndValues) {
    if (keysAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("keys and values must come in pairs: " + Arrays.toString(keysAndValues));
    }
    Map<K, V> map = new LinkedHashMap<>(keysAndValues.length);
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((K) Objects.requireNonNull(keysAndValues[i], "key"), (V) Objects.requireNonNull(keysAndValues[i + 1], "value"));
    }
    return Collections.unmodifiableMap(map);
  }

  /** Adds every one of {@code elements} to {@code copy}, refusing {@code null} as the JDK's do. */
  private static <E, C extends Collection<E>> C copyInto(C copy, Collection<? extends E> elements) {
    for (E element : elements) {
      copy.add(Objects.requireNonNull(element, "element"));
    }
    return copy;
  }
}
