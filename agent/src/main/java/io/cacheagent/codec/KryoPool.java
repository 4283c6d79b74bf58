package io.cacheagent.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.util.Pool;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;

/**
 * Kryo instances of one codec, for reuse: they are not thread-safe, and costly to build.
 *
 * <p>Kryo's own thread-safe {@link Pool} takes a lock and allocates a soft reference on every
 * return, as much time as the rest of decoding a small value. In front of it sit a few slots, one
 * per stripe of threads, each taken and given back with one atomic step: a call whose stripe is
 * free neither locks nor allocates. The slots hold their instances strongly, so there are few of
 * them (twice the processors, at most {@link #MAX_SLOTS}); the pool behind them holds the rest
 * softly, so that a codec per cached method never pins memory the application needs.
 */
final class KryoPool {

  static final int MAX_SLOTS = 16;
  /** Instances kept softly behind the slots; more may exist while more threads decode at once. */
  private static final int POOL_SIZE = 256;

  private final AtomicReferenceArray<Kryo> slots;
  private final int mask;
  private final Pool<Kryo> pool;

  KryoPool(Supplier<Kryo> create) {
    int wanted = 2 * Runtime.getRuntime().availableProcessors();
    int slotCount = Math.min(MAX_SLOTS, Integer.highestOneBit(wanted - 1) << 1); // the power of two at or above it
    this.slots = new AtomicReferenceArray<>(slotCount);
    this.mask = slotCount - 1;
    this.pool = new Pool<Kryo>(true, true, POOL_SIZE) {
      @Override
      protected Kryo create() {
        return create.get();
      }
    };
  }

  Kryo obtain() {
    Kryo kryo = slots.getAndSet(slot(), null);
    return kryo != null ? kryo : pool.obtain();
  }

  void free(Kryo kryo) {
    if (!slots.compareAndSet(slot(), null, kryo)) {
      pool.free(kryo);
    }
  }

  private int slot() {
    return (int) Thread.currentThread().getId() & mask;
  }
}
