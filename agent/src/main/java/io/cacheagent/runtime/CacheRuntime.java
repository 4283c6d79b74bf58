package io.cacheagent.runtime;

import io.cacheagent.bootstrap.Arguments;
import io.cacheagent.bootstrap.Dispatcher;
import io.cacheagent.bootstrap.Hit;
import io.cacheagent.key.GenerationKey;
import io.cacheagent.key.UnstableArgumentException;
import io.cacheagent.logging.AgentLog;
import io.cacheagent.store.CacheStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/*
 * What the bridge calls: looks calls up, has results stored (MissResults), runs evictions.
 *
 * Generations. "evictOn ... all: true" must drop every entry of a method without KEYS or SCAN.
 * Each cached method has a generation key holding a random number. Every entry records the
 * generation it was loaded under, and a read fetches the entry and the generation in one MGET: an
 * entry of another generation is a miss. Dropping all entries is one SET of a new random
 * generation; the old entries are never read again and expire by their TTL. A missing generation
 * (never set, or evicted by Redis under memory pressure) is replaced by a new random one, so an
 * eviction can never bring back entries it dropped. A load that raced with the eviction stores its
 * value under the old generation, where it is never read.
 *
 * Evictions by key. A write does not DEL the key: it writes a tombstone (bytes that are never a
 * value) for the method's TTL. A miss stores its result with SET NX when it saw nothing under the
 * key, and otherwise only if the key still holds exactly the bytes it saw (compare-and-set). So a
 * load that read the database before a write and finishes after it can never put the old value
 * back: its SET NX meets the tombstone, or its compare-and-set meets a newer tombstone. The next
 * load, which started after the write, replaces the tombstone it saw.
 *
 * An eviction the store did not confirm (Redis down or slow) is not lost: see MissedEvictions.
 * Concurrent lookups of one key share one read of Redis: see store.SharedReads. Copies in this
 * JVM, for methods with a nearCache: see NearCaches.
 * Concurrent misses of one key run the method once: see InFlightLoads, and Leases for several JVMs
 * (not for methods that return futures, whose callers expect them back at once: see
 * FutureFollowers). Such a method's value is stored once its future completes (MissResults), and a
 * hit is a completed future of it.
 * Methods with batch: one entry per element of a collection argument, see BatchReads.
 * Methods with refreshAhead: entries in use are reloaded in the background before they expire, see Refreshes.
 *
 * Nothing here throws into the application: every failure ends in "run uncached".
 */
public final class CacheRuntime implements Dispatcher {

  private final MethodTable table;
  private final CacheStore store;
  private final MissedEvictions missedEvictions;
  /** {@code System.nanoTime}, or a test's clock: when loads began, how long ago a miss read the store. */
  private final LongSupplier nanoClock;
  private final InFlightLoads loads;
  private final Evictions evictions;
  private final NearCaches nearCaches;
  private final MissResults results;
  private final BatchReads batches;
  private final FutureFollowers followers = new FutureFollowers();
  private final Refreshes refreshes;

  public CacheRuntime(MethodTable table, CacheStore store) {
    this(table, store, System::nanoTime);
  }

  CacheRuntime(MethodTable table, CacheStore store, LongSupplier nanoClock) {
    this(table, store, nanoClock, System::currentTimeMillis);
  }

  /** With a test's clocks: {@code nanoClock} for {@code System.nanoTime}, {@code wallClock} for {@code System.currentTimeMillis}. */
  CacheRuntime(MethodTable table, CacheStore store, LongSupplier nanoClock, LongSupplier wallClock) {
    this.nanoClock = nanoClock;
    this.loads = new InFlightLoads(nanoClock);
    this.table = table;
    this.store = store;
    this.missedEvictions = new MissedEvictions(store);
    this.evictions = new Evictions(table, store, loads, missedEvictions);
    this.nearCaches = new NearCaches(store, nanoClock);
    this.results = new MissResults(store, loads, nanoClock, wallClock, this, this::afterTransaction);
    this.batches = new BatchReads(store, missedEvictions, results, nanoClock);
    this.refreshes = new Refreshes(store, results, nanoClock, wallClock);
    // Evictions missed while Redis could not be reached (a write at start, or during an outage)
    // are made good as soon as it is connected again, not at this JVM's next read, which a JVM that
    // only writes never makes.
    store.whenConnected(missedEvictions::sendDrops);
  }

  @Override
  public Object begin(int methodId, Object self, Object[] args) {
    try {
      return lookUp(methodId, self, args);
    } catch (Throwable t) {
      failed("begin", methodId, t);
      return null;
    }
  }

  private Object lookUp(int methodId, Object self, Object[] args) {
    CachedMethod method = table.cached(methodId);
    if (method == null) {
      return null;
    }
    // Only such methods are called again by the agent; the others skip the thread-local.
    Object answer = method.returnsFuture || method.rule.refreshAhead() > 0 ? CallAgain.answerFor(methodId) : CallAgain.NOT_CALLED_AGAIN;
    if (answer != CallAgain.NOT_CALLED_AGAIN) {
      return calledAgain(method, answer);
    }
    if (method.returnsEntities() && method.inCallersTransaction(self)) {
      // The caller would get the entity managed: its changes flushed at commit, its lazy parts
      // loaded. A detached copy would lose the one and fail on the other.
      method.stats.managed.increment();
      return null;
    }
    if (method.batch != null || method.rule.isBatch()) {
      return batches.begin(method, self, args);
    }
    CachedMethod.KeySpace keys = method.keys; // once: a reload must not change it halfway through the call
    String key;
    try {
      key = nearCaches.keyFor(method, keys, self, args);
    } catch (UnstableArgumentException e) {
      method.stats.uncached.increment();
      AgentLog.warn("unstable:" + method.name, method.name + ": " + e.getMessage() + "; such calls run uncached");
      return null;
    }
    GenerationKey generations = keys.generationKey();
    String generationKey = generations.forEntry(key); // in the entry's hash slot: one MGET reads both
    boolean pendingBefore = missedEvictions.pendingBefore(generations);
    NearCaches.Read read = nearCaches.read(method, key, generationKey);
    if (!read.answered()) {
      // Redis did not answer. A load in flight here may have read the database before another JVM's
      // write that this call cannot see, so the call runs alone, as without the agent.
      method.stats.uncached.increment();
      return null;
    }
    if (missedEvictions.readMayBeStale(generations, pendingBefore)) {
      method.stats.uncached.increment();
      return null;
    }
    long generation = read.generation();
    boolean generationInvented = generation == Generations.NONE;
    if (generationInvented) {
      generation = Generations.next();
      store.setIfAbsent(generationKey, Generations.format(generation));
    }
    byte[] entry = read.entry();
    if (!Entries.isForeign(method, entry) && method.isCurrent(entry, generation)) {
      Hit shared = read.shared(); // shareInstances: one decoded result for every hit of a copy
      Hit hit = shared != null ? shared : Entries.decode(method, key, entry, self, read.sharing());
      if (hit == Entries.NOT_SERVABLE) {
        return null; // the entry is right, only not for this caller: run the method, leave the entry as it is
      }
      if (hit != null) {
        (read.near() ? method.stats.nearHits : method.stats.redisHits).increment();
        if (method.rule.refreshAhead() > 0) {
          refreshes.onHit(method, methodId, key, generation, entry, self, args, read.readNanos());
        }
        return served(method, hit);
      }
    }
    FoundEntry found = new FoundEntry(key, generations, generationKey, generation, generationInvented, entry, read.readNanos());
    return coalesce(method, methodId, found, self, args);
  }

  /**
   * The lookup of a call the agent made itself (see CallAgain): {@code null}, a caller that shared
   * another call's load running the method itself, uncached; or a refresh's reload, which stores
   * over the entry it replaces, so long as the arguments still give its key (else uncached).
   */
  private static Object calledAgain(CachedMethod method, Object answer) {
    return answer instanceof Refreshes.Reload && ((Refreshes.Reload) answer).keyUnchanged(method) ? answer : null;
  }

  /**
   * A miss: leads the load of the key (returns the Miss to complete), or shares the load already in
   * flight: waits for it and serves a copy of its result (see InFlightLoads), or for a method that
   * returns a future, returns one that the load completes (see FutureFollowers); {@code null} runs
   * the method uncached.
   */
  private Object coalesce(CachedMethod method, int methodId, FoundEntry found, Object self, Object[] args) {
    // A load of a future that has not completed within the wait will not be shared: a later call leads a new one.
    long staleAfter = method.returnsFuture ? method.followerWaitNanos() : InFlightLoads.MAX_WAIT_NANOS;
    String key = found.key();
    InFlightLoads.Load load = loads.join(key, found.generations().name(), found.seen(), found.generationFound(), found.generation(),
        staleAfter);
    if (InFlightLoads.leads(load)) {
      try {
        return lead(method, found, load, self);
      } catch (Throwable t) {
        loads.finish(key, load, null); // never leave followers waiting
        throw t;
      }
    }
    if (method.returnsFuture) {
      Hit follower = followers.follow(method, methodId, key, load, loads, self, args);
      if (follower == null) {
        method.stats.uncached.increment();
      }
      return follower;
    }
    if (InFlightLoads.leadsAny()) {
      // This thread is loading: waiting for another could be waiting for itself.
      method.stats.uncached.increment();
      return null;
    }
    byte[] shared = loads.await(load, method.followerWaitNanos());
    Hit hit = shared == null ? null : Entries.decodeLoaded(method, key, shared, self);
    if (hit == Entries.NOT_SERVABLE) {
      return null; // counted as managed
    }
    if (hit == null) {
      method.stats.uncached.increment();
      return null;
    }
    method.stats.coalesced.increment();
    return served(method, hit);
  }

  /** The hit as the method returns it: for a method that returns a future, an already completed one of the value. */
  private static Hit served(CachedMethod method, Hit hit) {
    return method.returnsFuture ? new Hit(CompletableFuture.completedFuture(hit.value)) : hit;
  }

  /**
   * This JVM's first miss of a key: with stampedeLock, takes the lease of the key, or waits for the
   * JVM that holds it (see Leases); not for a method that returns a future, whose caller expects it
   * back at once. Returns the Miss to complete, or the other JVM's entry.
   */
  private Object lead(CachedMethod method, FoundEntry found, InFlightLoads.Load load, Object self) {
    String key = found.key();
    byte[] leaseToken = null;
    if (method.rule.stampedeLock() && method.returnsFuture) {
      AgentLog.warn("lease-future:" + method.name, method.name + ": stampedeLock does not apply to a method that returns a future"
          + " (its callers would wait for another JVM's load instead of getting their future at once); each JVM loads for itself");
    } else if (method.rule.stampedeLock() && load.leaseToken == null) {
      // load.leaseToken set: a recursive call inside the lease holder's own load, which must not wait for itself.
      byte[] token = Leases.newToken();
      CacheStore.Lease lease = store.tryLease(Leases.leaseKey(key), token, Leases.LEASE);
      if (lease == CacheStore.Lease.TAKEN) {
        leaseToken = token;
        load.leaseToken = token;
      } else if (lease == CacheStore.Lease.HELD_BY_OTHERS) {
        byte[] loaded = Leases.awaitEntry(store, method, key, found.generationKey(), found.generationFound(), found.seen(), nanoClock);
        Hit hit = loaded == null ? null : Entries.decode(method, key, loaded, self);
        if (hit != null && hit != Entries.NOT_SERVABLE) {
          loads.finish(key, load, loaded);
          method.stats.coalesced.increment();
          return served(method, hit);
        }
      }
    }
    method.stats.misses.increment();
    InFlightLoads.started();
    return new MissResults.Miss(key, found.generation(), found.seen(), load, leaseToken, found.readNanos(), method.rule.ttl(),
        nanoClock.getAsLong());
  }

  @Override
  public Object complete(int methodId, Object call, Object result) {
    if (call instanceof BatchReads.Call) {
      return completeBatch(methodId, (BatchReads.Call) call, result);
    }
    if (call instanceof Refreshes.Reload) {
      return completeReload(methodId, (Refreshes.Reload) call, result);
    }
    if (call instanceof MissResults.Miss) {
      InFlightLoads.ended(); // the method returned on this thread
      leaderReturned((MissResults.Miss) call);
    }
    try {
      CachedMethod method = table.cached(methodId);
      if (method == null || !(call instanceof MissResults.Miss)) {
        return result;
      }
      MissResults.Miss miss = (MissResults.Miss) call;
      // Inside a transaction that writes, the result may hold what it has not committed, and never
      // will if it rolls back: it is stored once the transaction committed, and shared with no other
      // thread. A read-only transaction (@Transactional(readOnly = true), Spring Data's finders) reads
      // only what is committed.
      boolean inTransaction = method.transactions().mayReadUncommitted();
      if (method.returnsFuture) {
        return results.storeWhenComplete(method, miss, result, inTransaction);
      }
      results.store(method, miss, result, inTransaction);
    } catch (Throwable t) {
      failed("complete", methodId, t);
    }
    return result;
  }

  /** A batch call's result, merged; where that fails and the body ran with only the missing elements, it runs again with the caller's. */
  private Object completeBatch(int methodId, BatchReads.Call call, Object result) {
    try {
      CachedMethod method = table.cached(methodId);
      return batches.complete(method, call, result, method.transactions().mayReadUncommitted());
    } catch (Throwable t) {
      failed("complete", methodId, t);
      return call.narrowed() ? new Arguments(call.callers, null) : result;
    }
  }

  /** A reload's result, stored over the entry it replaces (see Refreshes). */
  private Object completeReload(int methodId, Refreshes.Reload reload, Object result) {
    try {
      CachedMethod method = table.cached(methodId);
      return method == null ? result : refreshes.complete(method, reload, result);
    } catch (Throwable t) {
      failed("complete", methodId, t);
      return result;
    }
  }

  @Override
  public void abandon(int methodId, Object call) {
    if (call instanceof BatchReads.Call) {
      batches.abandon(); // the method threw on this thread: nothing is stored
      return;
    }
    if (call instanceof MissResults.Miss) {
      MissResults.Miss miss = (MissResults.Miss) call;
      InFlightLoads.ended(); // the method threw on this thread
      leaderReturned(miss);
      results.end(miss, null);
    }
  }

  private static void leaderReturned(MissResults.Miss miss) {
    if (miss.load() != null) {
      miss.load().leaderReturned = true;
    }
  }

  @Override
  public void beforeWrite(int writeId, Object self, Object[] args) {
    evict(writeId, self, args, true);
  }

  @Override
  public void afterWrite(int writeId, Object self, Object[] args) {
    evict(writeId, self, args, false);
  }

  private void evict(int writeId, Object self, Object[] args, boolean before) {
    try {
      WriteMethod write = table.write(writeId);
      if (write != null) {
        // The write returns once Redis confirmed its evictions (or after commandTimeout): once they
        // are confirmed, no JVM reads what it made stale. One Redis refused or did not confirm in
        // time is a missed eviction (see MissedEvictions), which other JVMs may not see at once.
        List<Evictions.Planned> planned = evictions.plan(write, self, args, before);
        store.awaitWrites(evictions.send(planned));
        if (!before) {
          evictAgainAfterTransaction(write, planned);
        }
      }
    } catch (Throwable t) {
      failed("evict", writeId, t);
    }
  }

  /**
   * Inside a transaction, the write's changes commit after it returned: a call between its return
   * and the commit reads the old, still committed value and may cache it. Its evictions run again
   * once the transaction completed, before the transaction's caller goes on.
   */
  private void evictAgainAfterTransaction(WriteMethod write, List<Evictions.Planned> planned) {
    AfterTransaction after = write.transactions().forTransaction(this, this::afterTransaction);
    if (after != null) {
      after.evictions.addAll(planned);
    }
  }

  /** What this runtime does when a transaction it took part in completes; one per transaction, for its writes and its misses. */
  private AfterTransaction afterTransaction() {
    return new AfterTransaction(store, evictions);
  }

  /** Called when the JVM exits: see Evictions#flush. */
  public void flushEvictions(Duration timeout) {
    evictions.flush(timeout);
  }

  /** A bug or an exhausted JVM: report it once, and let the call run as if uncached. */
  private static void failed(String step, int id, Throwable t) {
    AgentLog.warn("internal:" + step + ":" + t.getClass().getName(), "internal error in " + step + " of method #" + id
        + " (" + t + "); the call ran uncached");
  }
}
