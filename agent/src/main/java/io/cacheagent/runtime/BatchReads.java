package io.cacheagent.runtime;

import io.cacheagent.bootstrap.Arguments;
import io.cacheagent.bootstrap.Hit;
import io.cacheagent.key.GenerationKey;
import io.cacheagent.key.UnstableArgumentException;
import io.cacheagent.logging.AgentLog;
import io.cacheagent.store.CacheStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import lombok.Value;

/*
 * Batch methods (batch: args[N]): a call such as findByIds([1, 2, 3]) reads and stores one entry
 * per element of argument N, keyed as the same call with that element alone in place of the
 * collection would be; so evictOn with a key evicts one element, as for any method.
 *
 * All elements' entries are read at once: one MGET per copy of the generation key (one on one
 * server; on a cluster, one per slot group the elements fall into, all sent before any answer is
 * awaited). Every element cached: the merged result is served without running the method. Some
 * missing: the method runs with only those (a collection of the same kind, in the caller's order),
 * each value it returns is stored as a miss of that element alone would store it (MissResults: SET
 * NX or compare-and-set over what the read saw, after the commit in a transaction), and the caller
 * gets the cached and the loaded values merged in its order. All missing: the method runs with the
 * caller's own collection, and its result is returned as it is.
 *
 * Which value is whose: a Map result is read by element (one it lacks is not cached). A List result
 * holds one value per element in the order of the collection the method got, unless batch.valueId
 * names the property of a value that equals its element: then values are matched by it, in any
 * order, and an element without one is stored as null where cacheNulls allows (served as absent).
 * A positional List of another size than asked, or a collection the method reordered or changed,
 * cannot be lined up: nothing of it is stored, the method runs uncached from then on (until a reload
 * or a restart; the log says so once), and when it ran with only the missing elements, it runs
 * again with the caller's own arguments, so the caller gets exactly what the method returns.
 *
 * Not for batch methods: near caches, stampede leases, and sharing a load with concurrent calls of
 * the same element (each call loads the elements it missed; the stores' SET NX and compare-and-set
 * keep every entry right all the same).
 */
final class BatchReads {

  /** A batch call with elements to load: the arguments its body runs with, and what each element found. */
  static final class Call extends Arguments {
    final List<Object> elements;
    /** By element: its cached value, where {@code misses} has none. */
    final Object[] cached;
    /** By element: its miss, {@code null} where it was cached. */
    final MissResults.Miss[] misses;
    final int missing;
    /** The missing elements' positions, in the order the body gets them: the order of a positional List result. */
    final int[] loadOrder;
    final long startedNanos;

    Call(Object[] arguments, Object[] callers, List<Object> elements, Object[] cached, MissResults.Miss[] misses, int missing,
        int[] loadOrder, long startedNanos) {
      super(arguments, callers);
      this.elements = elements;
      this.cached = cached;
      this.misses = misses;
      this.missing = missing;
      this.loadOrder = loadOrder;
      this.startedNanos = startedNanos;
    }

    /** Whether the body runs with only the missing elements, not the caller's collection. */
    boolean narrowed() {
      return callers != null;
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
    Object argument = args[batch.argument()];
    if (method.batchBroken || !(argument instanceof Collection<?>) || ((Collection<?>) argument).isEmpty()) {
      method.stats.uncached.increment(); // null or empty: nothing to read, the method answers as it would
      return null;
    }
    Collection<?> collection = (Collection<?>) argument;
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
    boolean pendingBefore = missedEvictions.pendingBefore(generations);
    long readNanos = nanoClock.getAsLong();
    Found found = read(keys, generations);
    if (found == null) {
      method.stats.uncached.increment(); // Redis did not answer
      return null;
    }
    if (missedEvictions.readMayBeStale(generations, pendingBefore)) {
      method.stats.uncached.increment();
      return null;
    }
    Object[] cached = new Object[elements.size()];
    MissResults.Miss[] misses = new MissResults.Miss[elements.size()];
    int missing = 0;
    for (int i = 0; i < elements.size(); i++) {
      byte[] entry = found.entries[i];
      if (!Entries.isForeign(method, entry) && method.isCurrent(entry, found.generations[i])) {
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
    Call call;
    if (missing == 0) {
      call = new Call(args, null, elements, cached, misses, 0, new int[0], readNanos);
    } else if (missing == elements.size()) {
      int[] inOrder = new int[missing];
      Arrays.setAll(inOrder, i -> i);
      call = new Call(args, null, elements, cached, misses, missing, inOrder, readNanos);
    } else {
      call = narrowed(method, collection, args, elements, cached, misses, missing, readNanos);
      if (call == null) {
        method.stats.uncached.increment();
        return null;
      }
    }
    method.stats.redisHits.add(elements.size() - missing);
    method.stats.misses.add(missing);
    if (missing == 0) {
      return new Hit(BatchResults.merged(method, call, null, null));
    }
    InFlightLoads.started(); // the body loads: calls it makes never wait for another thread's load
    return call;
  }

  /** The call with only the missing elements as argument N, in a collection like the caller's; {@code null} when none can be made. */
  private static Call narrowed(CachedMethod method, Collection<?> collection, Object[] args, List<Object> elements, Object[] cached,
      MissResults.Miss[] misses, int missing, long readNanos) {
    Collection<Object> subset = emptyLike(collection);
    Class<?> declared = method.batchParameterType();
    if (declared == null || !declared.isInstance(subset)) {
      return null;
    }
    int[] loadOrder = fill(subset, elements, misses, missing);
    if (loadOrder == null) {
      return null;
    }
    Object[] narrowed = args.clone();
    narrowed[method.batch.argument()] = subset;
    return new Call(narrowed, args, elements, cached, misses, missing, loadOrder, readNanos);
  }

  /**
   * Stores what the body returned for each missing element, and returns what the caller gets: the
   * cached values merged with the loaded ones in its order, or, when the result cannot be lined up
   * with the elements and the body ran with only the missing ones, {@link Arguments} to run it again.
   */
  Object complete(CachedMethod method, Call call, Object result, boolean inTransaction) {
    InFlightLoads.ended();
    method.stats.loadNanos.recordValue(Math.max(0, nanoClock.getAsLong() - call.startedNanos));
    Object[] loaded = new Object[call.elements.size()];
    boolean[] answered = new boolean[loaded.length];
    String broken = BatchResults.lineUp(method, call, result, loaded, answered);
    if (broken != null) {
      return brokeContract(method, call, result, broken);
    }
    for (int i = 0; i < loaded.length; i++) {
      if (answered[i]) {
        results.store(method, call.misses[i], loaded[i], inTransaction);
      }
    }
    return call.narrowed() ? BatchResults.merged(method, call, loaded, result) : result;
  }

  /** The body threw: nothing is stored. */
  void abandon() {
    InFlightLoads.ended();
  }

  /**
   * A result that cannot be lined up with the elements: nothing is stored, the method runs uncached
   * from now on, and the caller gets what it returns for the caller's own arguments.
   */
  private static Object brokeContract(CachedMethod method, Call call, Object result, String why) {
    method.stats.uncached.increment();
    method.batchBroken = true;
    AgentLog.warn("batch-contract:" + method.name, method.name + ": " + why + ", so its values cannot be told apart by"
        + " element: nothing of it was cached, and it runs uncached from now on (until the configuration is reloaded, or a"
        + " restart). A List must hold one value per element, in the order of the collection it is given; where it does not"
        + " (a query with where id in (...)), give batch a valueId, e.g. batch: {argument: \"args[" + method.batch.argument()
        + "]\", valueId: id}");
    return call.narrowed() ? new Arguments(call.callers, null) : result;
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
  @Value
  private static class Found {
    byte[][] entries;
    long[] generations;
  }

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
   * An empty collection of the caller's kind, for the missing elements: a TreeSet with the
   * comparator of a sorted set, a LinkedHashSet for another set, a LinkedList for one, else an
   * ArrayList. JDK classes only: nothing of the application runs to make it.
   */
  @SuppressWarnings("unchecked")
  private static Collection<Object> emptyLike(Collection<?> original) {
    if (original instanceof SortedSet<?>) {
      return new TreeSet<>((Comparator<Object>) ((SortedSet<?>) original).comparator());
    }
    if (original instanceof Set<?>) {
      return new LinkedHashSet<>();
    }
    return original instanceof LinkedList<?> ? new LinkedList<>() : new ArrayList<>();
  }

  /**
   * Adds the missing elements to {@code subset} in the caller's order, and returns their positions
   * in the order the subset gives them back (a TreeSet sorts them); {@code null} when that cannot be
   * told (a comparator that merges elements that are not equal), or the subset refused one.
   */
  private static int[] fill(Collection<Object> subset, List<Object> elements, MissResults.Miss[] misses, int missing) {
    Map<Object, Integer> positions = new HashMap<>();
    try {
      for (int i = 0; i < elements.size(); i++) {
        if (misses[i] != null) {
          subset.add(elements.get(i));
          positions.putIfAbsent(elements.get(i), i);
        }
      }
    } catch (RuntimeException refused) { // a null in a TreeSet without comparator, say
      return null;
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
    for (Object element : subset) { // a set: no duplicates
      Integer position = positions.get(element);
      if (position == null) {
        return null;
      }
      loadOrder[next++] = position;
    }
    return loadOrder;
  }
}
