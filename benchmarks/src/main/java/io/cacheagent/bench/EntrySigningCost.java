package io.cacheagent.bench;

import io.cacheagent.codec.EntrySigning;
import io.cacheagent.codec.UndecodableException;
import io.cacheagent.key.ArgumentHashing;
import io.cacheagent.key.CacheKeys;
import io.cacheagent.key.GenerationKey;
import io.cacheagent.key.KeyNames;
import io.cacheagent.key.KeyShape;
import io.cacheagent.key.Namespace;
import io.cacheagent.key.UnstableArgumentException;
import io.cacheagent.secret.Secret;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the protections of docs/security.md add to a call, without Redis and without the agent:
 * signing an entry (each store), checking its signature (each hit), for an entry of 40 bytes
 * and one of 4 KiB; and a key whose argument text is hashed ({@code redis.hashKeys}, keyed) beside
 * the same key readable.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 10, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
public class EntrySigningCost {

  private static final Duration TTL = Duration.ofMinutes(5);
  private static final String KEY = "bench:com.acme.Repository#find(long):k2:n42";
  private static final KeyShape TWO_STRINGS = KeyShape.of(List.of("java.lang.String", "java.lang.String"), null);
  private static final Secret SECRET = Secret.fromEnvironment("CACHE_AGENT_SIGNING_KEY", "a-key-for-the-benchmark-only-0001");
  private static final Namespace READABLE = KeyNames.readable("bench").namespace("com.acme.Repository#find(java.lang.String, java.lang.String)");
  private static final Namespace HASHED = new KeyNames("bench", ArgumentHashing.keyed(SECRET))
      .namespace("com.acme.Repository#find(java.lang.String, java.lang.String)");
  private static final GenerationKey GENERATION =
      KeyNames.readable("bench").generationKey("com.acme.Repository#find(java.lang.String, java.lang.String)", null);

  private final EntrySigning signing = EntrySigning.with(SECRET, null);
  // What is signed does not matter to its cost, only its length: an entry's header and Kryo bytes.
  private final byte[] small = new byte[40];
  private final byte[] large = new byte[4096];
  private final byte[] smallSigned = signing.sign(KEY, small, TTL);
  private final byte[] largeSigned = signing.sign(KEY, large, TTL);
  private String email = "alice@example.com";
  private String currency = "EUR";

  @Benchmark
  public byte[] sign40Bytes() {
    return signing.sign(KEY, small, TTL);
  }

  @Benchmark
  public int verify40Bytes() throws UndecodableException {
    return signing.verifiedLength(KEY, smallSigned);
  }

  @Benchmark
  public byte[] sign4KiB() {
    return signing.sign(KEY, large, TTL);
  }

  @Benchmark
  public int verify4KiB() throws UndecodableException {
    return signing.verifiedLength(KEY, largeSigned);
  }

  @Benchmark
  public String keyReadable() throws UnstableArgumentException {
    return CacheKeys.key(READABLE, GENERATION, null, TWO_STRINGS, null, new Object[] {email, currency});
  }

  @Benchmark
  public String keyHashed() throws UnstableArgumentException {
    return CacheKeys.key(HASHED, GENERATION, null, TWO_STRINGS, null, new Object[] {email, currency});
  }
}
