package io.cacheagent.bench;

import io.cacheagent.key.CacheKeys;
import io.cacheagent.key.KeyExpression;
import io.cacheagent.key.GenerationKey;
import io.cacheagent.key.KeyNames;
import io.cacheagent.key.KeyShape;
import io.cacheagent.key.Namespace;
import io.cacheagent.key.UnstableArgumentException;
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
 * The agent's key derivation ({@code CacheKeys.key}, the code the agent runs on every cached
 * call) for typical argument shapes, without Redis and without the agent: the arguments array as
 * the advice hands it over, to the finished key.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 10, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
public class KeyDerivation {

  /** A small argument object: a record of three fields. */
  public record Query(String customer, int page, long since) {}

  /** A small argument object that is not a record: encoded field by field. */
  public static final class Filter {
    private final String category;
    private final int maxCents;
    private final boolean inStock;

    public Filter(String category, int maxCents, boolean inStock) {
      this.category = category;
      this.maxCents = maxCents;
      this.inStock = inStock;
    }
  }

  private static final Namespace NAMESPACE = KeyNames.readable("bench").namespace("com.acme.Repository#find(long)");
  private static final GenerationKey GENERATION = KeyNames.readable("bench").generationKey("com.acme.Repository#find(long)", null);
  private static final List<KeyExpression> CUSTOMER_ONLY = List.of(KeyExpression.parse("args[0].customer"));
  private static final KeyShape LONG = KeyShape.of(List.of("long"), null);
  private static final KeyShape TWO_STRINGS = KeyShape.of(List.of("java.lang.String", "java.lang.String"), null);
  private static final KeyShape QUERY = KeyShape.of(List.of("com.acme.Query"), null);
  private static final KeyShape CUSTOMER = KeyShape.of(List.of("com.acme.Query"), CUSTOMER_ONLY);
  private static final KeyShape BYTES = KeyShape.of(List.of("byte[]"), null);

  // Fields, not constants, so that the JIT cannot fold the work away.
  private long id = 42;
  private String email = "alice@example.com";
  private String currency = "EUR";
  private Query query = new Query("alice@example.com", 3, 1_700_000_000_000L);
  private Filter filter = new Filter("books", 2_500, true);
  private byte[] kilobyte = new byte[1024];
  private byte[] sixtyKilobytes = new byte[60 * 1024];
  private byte[] fourMegabytes = new byte[4 * 1024 * 1024];

  /** {@code find(long)}: one long. */
  @Benchmark
  public String oneLong() throws UnstableArgumentException {
    return CacheKeys.key(NAMESPACE, GENERATION, null, LONG, null, new Object[] {id});
  }

  /** {@code price(String, String)}: two strings. */
  @Benchmark
  public String twoStrings() throws UnstableArgumentException {
    return CacheKeys.key(NAMESPACE, GENERATION, null, TWO_STRINGS, null, new Object[] {email, currency});
  }

  /** {@code search(Query)}: a record of three fields. */
  @Benchmark
  public String smallRecord() throws UnstableArgumentException {
    return CacheKeys.key(NAMESPACE, GENERATION, null, QUERY, null, new Object[] {query});
  }

  /** {@code search(Filter)}: a plain class of three fields, read by reflection. */
  @Benchmark
  public String smallObject() throws UnstableArgumentException {
    return CacheKeys.key(NAMESPACE, GENERATION, null, QUERY, null, new Object[] {filter});
  }

  /** {@code search(Query)} with {@code key: [args[0].customer]}: one property of the record. */
  @Benchmark
  public String keyExpression() throws UnstableArgumentException {
    return CacheKeys.key(NAMESPACE, GENERATION, CUSTOMER_ONLY, CUSTOMER, null, new Object[] {query});
  }

  /** {@code render(byte[])} with a 1 KiB argument: hashed in place. */
  @Benchmark
  public String oneKilobyte() throws UnstableArgumentException {
    return CacheKeys.key(NAMESPACE, GENERATION, null, BYTES, null, new Object[] {kilobyte});
  }

  /** {@code render(byte[])} with 60 KiB, just under the limit: hashed in place. */
  @Benchmark
  public String sixtyKilobytes() throws UnstableArgumentException {
    return CacheKeys.key(NAMESPACE, GENERATION, null, BYTES, null, new Object[] {sixtyKilobytes});
  }

  /** {@code render(byte[])} with 4 MiB, over the limit: refused before a byte is read. */
  @Benchmark
  public Object fourMegabytes() {
    try {
      return CacheKeys.key(NAMESPACE, GENERATION, null, BYTES, null, new Object[] {fourMegabytes});
    } catch (UnstableArgumentException tooLarge) {
      return tooLarge;
    }
  }
}
