package io.cacheagent.runtime;

import io.cacheagent.bootstrap.CacheBridge;
import io.cacheagent.codec.EntrySigning;
import io.cacheagent.config.AgentConfig;
import io.cacheagent.config.EvictRule;
import io.cacheagent.config.MethodRule;
import io.cacheagent.jdk.Immutable;
import io.cacheagent.key.GenerationKey;
import io.cacheagent.key.KeyNames;
import io.cacheagent.store.CacheStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.WeakHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

/**
 * Gives every instrumented method the integer id that its advice carries as a constant, and finds
 * the method again by that id on each call: an array read, no string or map lookup on the hot path.
 *
 * <p>Registration happens while classes are transformed (rare, so it simply synchronizes); the
 * arrays are replaced whole and published through volatile fields. A class transformed again (a
 * retransformation) keeps its ids.
 */
public final class MethodTable {

  private final KeyNames keyNames;
  /** Whether entries are signed, and with which key. */
  private final EntrySigning signing;
  /** {@code serialization.allow} as last configured (a reload may change it). */
  private List<String> serializationAllow;
  /** Ids by class loader (compared by identity; weak, so a discarded loader can go) and method. */
  private final Map<ClassLoader, Map<String, Integer>> idsByLoader = new WeakHashMap<>();
  private volatile CachedMethod[] cached = new CachedMethod[0];
  private volatile WriteMethod[] writes = new WriteMethod[0];
  /**
   * Rules a reload removed, by signature: their methods are switched off, but their evictions keep
   * running, so that entries written before the removal are still evicted by later writes, and are
   * right if the rule comes back (by a reload or a JMX switch).
   */
  private final Map<String, MethodRule> retired = new HashMap<>();
  /**
   * Evictions whose key the declared types show can never evict an entry, with why, by {@link
   * #refusalKey}: the method they would evict is not served in this JVM (its entries could be
   * stale after any such write), and they drop every entry of it instead of computing a key.
   */
  private final Map<String, String> refusals = new HashMap<>();
  /** Evictions run, by the configured signature of the cached method they evict from. */
  private final Map<String, LongAdder> evictions = new ConcurrentHashMap<>();
  /** Of those, evictions that could not compute their key and dropped every entry instead. */
  private final Map<String, LongAdder> evictionKeyFailures = new ConcurrentHashMap<>();

  /**
   * {@code serializationAllow}: packages and classes that any entry may hold besides each
   * method's own; {@code signing}: whether entries are signed, and with which key.
   */
  public MethodTable(KeyNames keyNames, List<String> serializationAllow, EntrySigning signing) {
    this.keyNames = keyNames;
    this.signing = signing;
    this.serializationAllow = Immutable.listCopy(serializationAllow);
  }

  /** Registers a cached method that returns its value (not a future) and returns its id; see the method below. */
  public int registerCached(ClassLoader loader, String name, String configuredAs, String descriptor, MethodRule rule,
      List<String> valueTypes) {
    return registerCached(loader, name, configuredAs, descriptor, rule, valueTypes, false, null);
  }

  /**
   * Registers a cached method and returns its id.
   *
   * @param name canonical signature of the concrete method, e.g. {@code com.acme.JdbcRepo#find(long)}
   * @param configuredAs the method as its rule names it, where its keys live: {@code name} itself,
   *     or the interface or abstract method it implements, e.g. {@code com.acme.Repo#find(long)}
   * @param descriptor JVM descriptor of the method
   * @param valueTypes binary names of the return type ({@code long}, {@code [J}, {@code com.acme.P}), to
   *     check cached values against, then of the classes its type arguments name; for a method that
   *     returns a future, of the type of its value
   * @param returnsFuture whether it returns a CompletableFuture or CompletionStage, whose value is cached
   * @param batch for a method with {@code batch}, how it takes its elements and returns their values
   *     (its {@code valueTypes} are then those of one element's value); {@code null} for another
   */
  public synchronized int registerCached(ClassLoader loader, String name, String configuredAs, String descriptor, MethodRule rule,
      List<String> valueTypes, boolean returnsFuture, Batch batch) {
    Map<String, Integer> ids = idsByLoader.computeIfAbsent(loader, k -> new HashMap<>());
    Integer known = ids.get("cached " + name + descriptor);
    if (known != null && cached[known].configuredAs.equals(configuredAs)) {
      cached[known].rebind(rule, keyNames); // transformed again (a reload): the rule may be new
      publishSwitches();
      return known;
    }
    // New, or transformed again under a rule that puts its keys elsewhere (a rule on the class
    // itself replacing one on its interface, or the reverse): a new method under the same id.
    int id = known != null ? known : cached.length;
    CachedMethod[] grown = Arrays.copyOf(cached, Math.max(cached.length, id + 1));
    grown[id] = new CachedMethod(name, configuredAs, descriptor, rule, keyNames, valueTypes, returnsFuture, batch,
        serializationAllow, signing, loader);
    cached = grown;
    ids.put("cached " + name + descriptor, id);
    publishSwitches();
    return id;
  }

  /**
   * Registers a write method with the evictions it triggers and returns its id.
   *
   * @param configuredAs the names the configuration may give it: its own canonical signature, and
   *     those of the interface or abstract methods it implements
   */
  public synchronized int registerWrite(ClassLoader loader, String name, List<String> configuredAs, String descriptor,
      List<Eviction> evictions) {
    Map<String, Integer> ids = idsByLoader.computeIfAbsent(loader, k -> new HashMap<>());
    Integer known = ids.get("write " + name + descriptor);
    if (known != null) {
      writes[known].rebind(configuredAs, withKeyProblems(evictions)); // transformed again (a reload)
      return known;
    }
    int id = writes.length;
    WriteMethod[] grown = Arrays.copyOf(writes, id + 1);
    grown[id] = new WriteMethod(name, configuredAs, withKeyProblems(evictions), loader);
    writes = grown;
    ids.put("write " + name + descriptor, id);
    return id;
  }

  /**
   * Records that the declared types of a write method show that {@code eviction} can never evict an
   * entry of {@code cached} ({@code problem} says why): {@code cached} is no longer served in this
   * JVM, and the eviction drops every entry of it instead. Called before the write method is
   * registered; holds until a reload changes or removes the eviction.
   */
  public synchronized void refuse(MethodRule cached, EvictRule eviction, String problem) {
    refusals.put(refusalKey(cached.signature().toString(), eviction), problem);
    publishSwitches();
  }

  private static String refusalKey(String cachedSignature, EvictRule eviction) {
    return cachedSignature + " <- " + eviction.write() + " " + eviction.key();
  }

  private List<Eviction> withKeyProblems(List<Eviction> evictions) {
    List<Eviction> marked = new ArrayList<>(evictions.size());
    for (Eviction eviction : evictions) {
      marked.add(eviction.withKeyProblem(refusals.get(refusalKey(eviction.cachedName(), eviction.rule()))));
    }
    return marked;
  }

  /** Whether a cached method is served: switched on, and no eviction of it refused. */
  synchronized boolean serves(CachedMethod method) {
    return method.rule.enabled() && !isRefused(method.rule);
  }

  private boolean isRefused(MethodRule rule) {
    String prefix = rule.signature() + " <- ";
    return refusals.keySet().stream().anyMatch(key -> key.startsWith(prefix));
  }

  /**
   * Applies a reloaded configuration to the methods already instrumented: each takes the rule
   * that now covers it, or is switched off when none does (its evictions keep running, see
   * {@link #retired}); each write method takes the evictions that now name it. Returns the classes of rules that no instrumented method answers yet (new
   * methods, new write methods): those, and the classes that extend or implement them, must be
   * transformed again if they are loaded.
   */
  public synchronized Set<String> reconfigure(AgentConfig config) {
    Set<String> untransformed = new TreeSet<>();
    for (MethodRule rule : config.methods()) {
      if (Arrays.stream(cached).noneMatch(method -> rule.signature().covers(method.configuredAs))) {
        untransformed.add(rule.signature().className());
      }
      for (EvictRule eviction : rule.evictOn()) {
        if (Arrays.stream(writes).noneMatch(write -> write.isKnownAs(eviction.write()))) {
          untransformed.add(eviction.write().className());
        }
      }
    }
    for (MethodRule rule : config.methods()) {
      retired.remove(rule.signature().toString());
    }
    boolean allowChanged = !config.serializationAllow().equals(serializationAllow);
    serializationAllow = Immutable.listCopy(config.serializationAllow());
    for (CachedMethod method : cached) {
      if (allowChanged) {
        method.allow(serializationAllow);
      }
      MethodRule now = config.methods().stream().filter(rule -> rule.signature().covers(method.configuredAs)).findFirst().orElse(null);
      if (now == null) {
        retired.put(method.rule.signature().toString(), method.rule.withEnabled(false));
      }
      method.rebind(now != null ? now : method.rule.withEnabled(false), keyNames); // removed: its advice stays, inert
    }
    List<MethodRule> evicting = new ArrayList<>(config.methods());
    evicting.addAll(retired.values());
    Set<String> stillConfigured = new java.util.HashSet<>();
    for (MethodRule rule : evicting) {
      rule.evictOn().forEach(eviction -> stillConfigured.add(refusalKey(rule.signature().toString(), eviction)));
    }
    refusals.keySet().retainAll(stillConfigured);
    for (WriteMethod write : writes) {
      List<Eviction> evictions = new ArrayList<>();
      for (MethodRule rule : evicting) {
        for (EvictRule eviction : rule.evictOn()) {
          if (write.isKnownAs(eviction.write())) {
            evictions.add(Eviction.of(eviction, rule, keyNames));
          }
        }
      }
      write.evictions = Immutable.listCopy(withKeyProblems(evictions));
    }
    publishSwitches();
    return untransformed;
  }

  /**
   * Drops every entry of every method {@code config} caches, in every JVM on {@code store}: a new
   * generation for each, also for methods whose classes this JVM has not loaded.
   */
  public List<CompletionStage<?>> dropAllEntries(AgentConfig config, CacheStore store) {
    List<CompletionStage<?>> drops = new ArrayList<>();
    for (MethodRule rule : config.methods()) {
      drops.add(Generations.dropAll(store, Generations.keyOf(keyNames, rule)));
    }
    return drops;
  }

  /**
   * Drops, of every method {@code config} caches or a reload retired, the entries whose keys
   * {@code affected} accepts: after the store may have lost writes to them (see
   * CacheStore#whenWritesMayBeLost). Also for methods whose classes this JVM has not loaded: it
   * would read their entries once it does.
   */
  public CompletableFuture<?> dropEntries(AgentConfig config, CacheStore store, Predicate<String> affected) {
    Map<String, GenerationKey> methods = new LinkedHashMap<>();
    for (MethodRule rule : config.methods()) {
      GenerationKey key = Generations.keyOf(keyNames, rule);
      methods.put(key.name(), key);
    }
    for (MethodRule rule : retiredRules()) {
      GenerationKey key = Generations.keyOf(keyNames, rule);
      methods.put(key.name(), key);
    }
    return CompletableFuture.allOf(methods.values().stream()
        .map(key -> Generations.dropWhere(store, key, affected))
        .toArray(CompletableFuture<?>[]::new));
  }

  /** The rules reloads removed whose methods stay instrumented, switched off (see {@link #retired}). */
  public synchronized List<MethodRule> retiredRules() {
    return Immutable.listCopy(retired.values());
  }

  /** Switches one method on or off (an operator's action); the next reload sets it as the file says. */
  synchronized void setEnabled(CachedMethod method, boolean on) {
    method.rebind(method.rule.withEnabled(on), keyNames);
    publishSwitches();
    if (on && isRefused(method.rule)) {
      io.cacheagent.logging.AgentLog.warn("refused-switch:" + method.name, method.name + " stays off although switched on: an"
          + " evictOn key of it can never evict an entry (logged when its write method was instrumented); fix the key and save the file");
    }
  }

  /** Every cached method instrumented so far, with what an operator may do to it. */
  public List<MethodControl> controls(CacheStore store) {
    List<MethodControl> controls = new ArrayList<>();
    for (CachedMethod method : cached) {
      controls.add(new MethodControl(method, this, store));
    }
    return controls;
  }

  /** The counters of every cached method instrumented so far, read now. */
  public List<MethodSnapshot> snapshots(CacheStore store) {
    List<MethodSnapshot> snapshots = new ArrayList<>();
    for (MethodControl control : controls(store)) {
      snapshots.add(control.snapshot());
    }
    return snapshots;
  }

  /** Counts an eviction from the cached method configured as {@code cachedName}. */
  void evicted(String cachedName) {
    increment(evictions, cachedName);
  }

  /**
   * An eviction from the cached method configured as {@code cachedName} could not compute its key
   * and dropped every entry instead.
   */
  void evictionKeyFailed(String cachedName) {
    increment(evictionKeyFailures, cachedName);
  }

  /** Evictions from the cached method configured as {@code cachedName} that could not compute their key. */
  long evictionKeyFailures(String cachedName) {
    return sum(evictionKeyFailures, cachedName);
  }

  /** Evictions run so far from the cached method configured as {@code cachedName}. */
  long evictions(String cachedName) {
    return sum(evictions, cachedName);
  }

  private static void increment(Map<String, LongAdder> counts, String cachedName) {
    counts.computeIfAbsent(cachedName, name -> new LongAdder()).increment();
  }

  private static long sum(Map<String, LongAdder> counts, String cachedName) {
    LongAdder count = counts.get(cachedName);
    return count == null ? 0 : count.sum();
  }

  /** How keys are named: their prefix, and how argument values appear in them. */
  public KeyNames keyNames() {
    return keyNames;
  }

  CachedMethod cached(int id) {
    CachedMethod[] current = cached;
    return id < current.length ? current[id] : null;
  }

  WriteMethod write(int id) {
    WriteMethod[] current = writes;
    return id < current.length ? current[id] : null;
  }

  private void publishSwitches() {
    CachedMethod[] current = cached;
    boolean[] on = new boolean[current.length];
    long[][] callsWhileOff = new long[current.length][];
    for (int i = 0; i < current.length; i++) {
      on[i] = serves(current[i]);
      callsWhileOff[i] = current[i].stats.off;
    }
    CacheBridge.switches(on, callsWhileOff);
  }

}
