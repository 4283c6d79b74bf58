package io.cacheagent.runtime;

import io.cacheagent.bootstrap.Arguments;
import io.cacheagent.bootstrap.Hit;
import io.cacheagent.codec.ValueCodec;
import io.cacheagent.key.GenerationKey;
import io.cacheagent.key.UnstableArgumentException;
import io.cacheagent.logging.AgentLog;
import io.cacheagent.store.CacheStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/*
 * Batch methods (batch: args[N]): a call such as findByIds([1, 2, 3]) reads and stores one entry
 * per element of argument N, keyed as the same call with that element alone in place of the
 * collection would be; so evictOn with a key evicts one element, as for any method.
 *
 * All elements' entries are read at once: one MGET per copy of the generation key (one on one
 * server; on a cluster, one per slot group the elements fall into, sent together). Every element
 * cached: the merged result is served without running the method. Some missing: the method runs
 * with only those (a collection of the same kind, in the caller's order), each value it returns is
 * stored as a miss of that element alone would store it (MissResults: SET NX or compare-and-set
 * over what the read saw, after the commit in a transaction), and the caller gets the cached and
 * the loaded values merged in its order. All missing: the method runs with the caller's own
 * collection, and its result is returned as it is.
 *
 * A List result must hold one value per element asked for, in order: one of another size (a
 * query that skips ids it did not find) cannot be lined up with the elements; nothing of it is
 * stored, and when the method ran with only the missing elements, it runs again with the caller's
 * own arguments, uncached, so the caller gets exactly what the method returns. A Map result is
 * read by element: an element it does not hold is not cached (asked again next time), one it holds
 * with null follows cacheNulls.
 *
 * Not for batch methods: near caches, stampede leases, and sharing a load with concurrent calls of
 * the same element (each call loads the elements it missed; the stores' SET NX and compare-and-set
 * keep every entry right all the same).
 */
final class BatchReads {

  /** A batch call with elements to load: the arguments its body runs with, and what each element found. */
  static final class Call extends Arguments {
    final Object[] callersArguments;
    final List<Object> elements;
    /** By element: its cached value, where {@code misses} has none. */
    final Object[] cached;
    /** By element: its miss, {@code null} where it was cached. */
    final MissResults.Miss[] misses;
    final int missing;
    /** The missing elements' positions, in the order the body gets them: the order of a List result's values. */
    final int[] loadOrder;
    /** Whether the body runs with only the missing elements, not the caller's collection. */
    final boolean narrowed;

    Call(Object[] arguments, Object[] callersArguments, List<Object> elements, Object[] cached, MissResults.Miss[] misses,
        int missing, int[] loadOrder) {
      super(arguments);
      this.callersArguments = callersArguments;
      this.elements = elements;
      this.cached = cached;
      this.misses = misses;
      this.missing = missing;
      this.loadOrder = loadOrder;
      this.narrowed = arguments != callersArguments;
    }
  }

  private final CacheStore store;
  private final MissedEvictions missedEvictions;
  private final MissResults results;
  /** {@code System.nanoTime}, or a test's clock. */
  private final LongSupplier nanoClock;

  BatchReads(CacheStore store, MissedEvictions missedEvictions, MissResults results, LongSupplier nanoClock) {
    this.store = store;
    this.missedEvictions = missedEvictions;
    this.results = results;
    this.nanoClock = nanoClock;
  }

  /** A {@link Hit} of every element merged, a {@link Call} whose body loads the missing ones, or {@code null}: run uncached. */
  Object begin(CachedMethod method, Object self, Object[] args) {
    if (!method.batchAsConfigured()) {
      method.stats.uncached.increment();
      AgentLog.warn("batch-changed:" + method.name, method.name + ": its batch setting changed since it was instrumented;"
          + " it runs uncached until the application restarts");
      return null;
    }
    Batch batch = method.batch;
    if (!(args[batch.argument()] instanceof Collection<?> collection) || collection.isEmpty()) {
      method.stats.uncached.increment(); // null or empty: nothing to read, the method answers as it would
      return null;
    }
    List<Object> elements = new ArrayList<>(collection);
    CachedMethod.KeySpace space = method.keys; // once: a reload must not change it halfway through the call
    String[] keys;
    try {
      keys = keysOf(method, space, self, args, elements);
    } catch (UnstableArgumentException e) {
      method.stats.uncached.increment();
      AgentLog.warn("unstable:" + method.name, method.name + ": " + e.getMessage() + "; such calls run uncached");
      return null;
    }
    GenerationKey generations = space.generationKey();
    // Sampled before the read: a drop confirmed while the read is in flight does not make its answer current.
    boolean pendingBefore = !missedEvictions.isEmpty() && missedEvictions.isPending(generations);
    long readNanos = nanoClock.getAsLong();
    Found found = read(keys, generations);
    if (found == null) {
      method.stats.uncached.increment(); // Redis did not answer
      return null;
    }
    if (pendingBefore || !missedEvictions.isEmpty()) {
      boolean mayBeStale = pendingBefore || missedEvictions.isPending(generations);
      missedEvictions.sendDrops();
      if (mayBeStale) {
        method.stats.uncached.increment();
        return null;
      }
    }
    Object[] cached = new Object[elements.size()];
    MissResults.Miss[] misses = new MissResults.Miss[elements.size()];
    int missing = 0;
    for (int i = 0; i < elements.size(); i++) {
      byte[] entry = found.entries[i];
      if (entry != null && !ValueCodec.isOurs(entry)) {
        method.stats.undecodable.increment();
        AgentLog.warn("foreign:" + method.name, method.name + ": an entry holds bytes that are not a cache-agent entry of format "
            + ValueCodec.FORMAT_VERSION + "; treated as a miss and replaced");
      } else if (method.isCurrent(entry, found.generations[i])) {
        Hit hit = Entries.decode(method, keys[i], entry, self);
        if (hit == Entries.NOT_SERVABLE) {
          return null; // right, only not for this caller (counted as managed): the method answers
        }
        if (hit != null) {
          cached[i] = hit.value;
          continue;
        }
      }
      misses[i] = new MissResults.Miss(keys[i], found.generations[i], entry, null, null, readNanos, method.rule.ttl(), readNanos);
      missing++;
    }
    method.stats.redisHits.add(elements.size() - missing);
    method.stats.misses.add(missing);
    if (missing == 0) {
      return new Hit(merged(method, new Call(args, args, elements, cached, misses, 0, new int[0]), null, null));
    }
    if (missing == elements.size()) {
      int[] inOrder = new int[missing];
      Arrays.setAll(inOrder, i -> i);
      return new Call(args, args, elements, cached, misses, missing, inOrder);
    }
    Collection<Object> subset = subsetLike(collection, method);
    int[] loadOrder = subset == null ? null : fill(subset, elements, misses, missing);
    if (loadOrder == null) {
      method.stats.uncached.increment();
      return null;
    }
    Object[] narrowed = args.clone();
    narrowed[batch.argument()] = subset;
    return new Call(narrowed, args, elements, cached, misses, missing, loadOrder);
  }

  /**
   * Adds the missing elements to {@code subset} in the caller's order, and returns their positions
   * in the order the subset gives them back (a HashSet may reorder them); {@code null} when that
   * cannot be told (a sorted set whose comparator merges elements that are not equal).
   */
  private static int[] fill(Collection<Object> subset, List<Object> elements, MissResults.Miss[] misses, int missing) {
    Map<Object, Integer> positions = new HashMap<>();
    for (int i = 0; i < elements.size(); i++) {
      if (misses[i] != null) {
        subset.add(elements.get(i));
        positions.putIfAbsent(elements.get(i), i);
      }
    }
    if (subset.size() != missing) {
      return null;
    }
    int[] loadOrder = new int[missing];
    int next = 0;
    if (subset instanceof List<?>) {
      for (int i = 0; i < elements.size(); i++) {
        if (misses[i] != null) {
          loadOrder[next++] = i; // a list keeps the order elements were added in, duplicates too
        }
      }
      return loadOrder;
    }
    for (Object element : subset) {
      Integer position = positions.get(element);
      if (position == null) {
        return null;
      }
      loadOrder[next++] = position;
    }
    return loadOrder;
  }

  /**
   * Stores what the body returned for each missing element, and returns what the caller gets: the
   * cached values merged with the loaded ones in its order, or, when the result broke the batch
   * contract and the body ran with only the missing elements, {@link Arguments} to run it again.
   */
  Object complete(CachedMethod method, Call call, Object result, boolean inTransaction) {
    Object[] loaded = new Object[call.elements.size()];
    boolean[] answered = new boolean[loaded.length];
    if (method.batch.returnsMap()) {
      if (!(result instanceof Map<?, ?> map)) {
        return brokeContract(method, call, result, "null");
      }
      for (int i = 0; i < loaded.length; i++) {
        if (call.misses[i] != null && map.containsKey(call.elements.get(i))) {
          loaded[i] = map.get(call.elements.get(i));
          answered[i] = true;
        }
      }
    } else {
      if (!(result instanceof List<?> list) || list.size() != call.missing) {
        return brokeContract(method, call, result, result == null ? "null" : "a List of " + ((List<?>) result).size());
      }
      for (int j = 0; j < call.loadOrder.length; j++) {
        loaded[call.loadOrder[j]] = list.get(j);
        answered[call.loadOrder[j]] = true;
      }
    }
    for (int i = 0; i < loaded.length; i++) {
      if (answered[i]) {
        results.store(method, call.misses[i], loaded[i], inTransaction);
      }
    }
    return call.narrowed ? merged(method, call, loaded, result) : result;
  }

  /** A result that cannot be lined up with the elements: nothing is stored; the caller gets what the method returns for its own arguments. */
  private static Object brokeContract(CachedMethod method, Call call, Object result, String got) {
    method.stats.uncached.increment();
    AgentLog.warn("batch-contract:" + method.name, method.name + ": asked for " + call.missing + " elements, it returned " + got
        + ": nothing of such a result is cached, and where it was asked for the missing elements only, it runs again with"
        + " the caller's own. batch needs a List of one value per element, in the same order, or a Map keyed by the elements");
    return call.narrowed ? new Arguments(call.callersArguments) : result;
  }

  /**
   * What the caller gets: an ArrayList of a value per element, or a LinkedHashMap by element in its
   * order (then any key the method returned that is not among the elements, as it returned it).
   */
  private static Object merged(CachedMethod method, Call call, Object[] loaded, Object result) {
    int size = call.elements.size();
    if (!method.batch.returnsMap()) {
      List<Object> list = new ArrayList<>(size);
      for (int i = 0; i < size; i++) {
        list.add(call.misses[i] == null ? call.cached[i] : loaded[i]);
      }
      return list;
    }
    Map<Object, Object> map = new LinkedHashMap<>();
    Map<?, ?> returned = result instanceof Map<?, ?> m ? m : Map.of();
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

  /** Each element's key: the key of the call with that element alone as argument N. */
  private static String[] keysOf(CachedMethod method, CachedMethod.KeySpace space, Object self, Object[] args, List<Object> elements)
      throws UnstableArgumentException {
    String[] keys = new String[elements.size()];
    Object[] alone = args.clone();
    for (int i = 0; i < keys.length; i++) {
      alone[method.batch.argument()] = elements.get(i);
      keys[i] = method.keyFor(space, self, alone);
    }
    return keys;
  }

  /** What the store holds under each element's key, and the generation its entry must have; by element. */
  private record Found(byte[][] entries, long[] generations) {}

  /**
   * Reads every key with the copy of the generation key in its hash slot: one MGET per copy, all
   * sent before any answer is awaited. {@code null} when the store did not answer one of them.
   */
  private Found read(String[] keys, GenerationKey generations) {
    Map<String, List<Integer>> byGeneration = new LinkedHashMap<>();
    for (int i = 0; i < keys.length; i++) {
      byGeneration.computeIfAbsent(generations.forEntry(keys[i]), copy -> new ArrayList<>()).add(i);
    }
    List<CompletableFuture<byte[][]>> reads = new ArrayList<>(byGeneration.size());
    for (Map.Entry<String, List<Integer>> group : byGeneration.entrySet()) {
      String[] names = new String[group.getValue().size() + 1];
      for (int j = 0; j < group.getValue().size(); j++) {
        names[j] = keys[group.getValue().get(j)];
      }
      names[names.length - 1] = group.getKey();
      reads.add(store.getAsync(names));
    }
    byte[][] entries = new byte[keys.length][];
    long[] generationOf = new long[keys.length];
    int g = 0;
    for (Map.Entry<String, List<Integer>> group : byGeneration.entrySet()) {
      byte[][] values = reads.get(g++).join(); // never exceptional; at the latest after the command timeout
      if (values == null) {
        return null;
      }
      long generation = Generations.parse(values[values.length - 1]);
      if (generation == Generations.NONE) {
        generation = Generations.next();
        store.setIfAbsent(group.getKey(), Generations.format(generation));
      }
      for (int j = 0; j < group.getValue().size(); j++) {
        entries[group.getValue().get(j)] = values[j];
        generationOf[group.getValue().get(j)] = generation;
      }
    }
    return new Found(entries, generationOf);
  }

  /**
   * An empty collection of the kind the caller passed, for the missing elements: a sorted set with
   * its comparator, the caller's own class where it has a public no-argument constructor, else an
   * ArrayList or LinkedHashSet; {@code null} when none is of the declared parameter type.
   */
  @SuppressWarnings("unchecked")
  private static Collection<Object> subsetLike(Collection<?> original, CachedMethod method) {
    Collection<Object> subset = null;
    if (original instanceof SortedSet<?> sorted) {
      subset = new TreeSet<>((java.util.Comparator<Object>) sorted.comparator());
    } else {
      try {
        Object made = original.getClass().getConstructor().newInstance();
        subset = made instanceof Collection<?> ? (Collection<Object>) made : null;
      } catch (ReflectiveOperationException | RuntimeException | LinkageError notConstructible) {
        // List.of, Arrays.asList, an unmodifiable view: a plain collection of the same kind below
      }
      if (subset == null) {
        subset = original instanceof Set<?> ? new LinkedHashSet<>() : new ArrayList<>();
      }
    }
    try {
      Class<?> declared = Class.forName(method.batch.parameterType(), false, method.loader());
      return declared.isInstance(subset) ? subset : null;
    } catch (ClassNotFoundException | LinkageError e) {
      return null;
    }
  }
}
