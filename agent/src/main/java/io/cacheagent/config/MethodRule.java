package io.cacheagent.config;

import io.cacheagent.jdk.Immutable;
import io.cacheagent.key.KeyExpression;
import java.time.Duration;
import java.util.List;
import lombok.Value;

/**
 * One entry of {@code methods}: a method whose results are cached. Built with {@link #cache}, which
 * names each field; what a field means is said on {@link MethodSettings} and on the builder.
 */
@Value
public class MethodRule {

  /** Position in the {@code methods} list, for messages. */
  int index;
  /** The cached method, or every overload when it has no parameter list. */
  MethodSignature signature;
  /** Expressions over the arguments; {@code null} means all arguments. */
  List<KeyExpression> key;
  MethodSettings settings;
  /** The operator's switch. */
  boolean enabled;
  /** Writes that evict entries of this method. */
  List<EvictRule> evictOn;
  /**
   * The argument ({@code batch: args[N]}) whose collection of elements is cached one entry per
   * element; {@code null} for a method cached one entry per call.
   */
  BatchRule batch;

  /** A {@code nullTtl} left open (by {@code defaults} and the method alike) is the method's {@code ttl}. */
  public MethodRule(int index, MethodSignature signature, List<KeyExpression> key, MethodSettings settings, boolean enabled,
      List<EvictRule> evictOn, BatchRule batch) {
    if (settings.nullTtl() == null) {
      settings = new MethodSettings(settings.ttl(), settings.ttlJitter(), settings.cacheNulls(), settings.ttl(), settings.stampedeLock(),
          settings.nearCache(), settings.refreshAhead());
    }
    this.index = index;
    this.signature = signature;
    this.key = key;
    this.settings = settings;
    this.enabled = enabled;
    this.evictOn = evictOn;
    this.batch = batch;
  }

  /** A rule that caches {@code signature}: by default with the built-in settings, keyed by all arguments, on, evicted by nothing. */
  public static Builder cache(MethodSignature signature) {
    return new Builder(signature);
  }

  /** How long an entry lives at most. */
  public Duration ttl() {
    return settings.ttl();
  }

  /** Fraction of {@code ttl} by which each entry's life is shortened at random. */
  public double ttlJitter() {
    return settings.ttlJitter();
  }

  public boolean cacheNulls() {
    return settings.cacheNulls();
  }

  /** How long a cached {@code null} lives (jittered like {@code ttl}). */
  public Duration nullTtl() {
    return settings.nullTtl();
  }

  public boolean stampedeLock() {
    return settings.stampedeLock();
  }

  /** Copies of its entries kept in each JVM; {@code null}: none. */
  public NearCacheSettings nearCache() {
    return settings.nearCache();
  }

  /** Share of an entry's life after which a hit reloads it in the background; 0: never. */
  public double refreshAhead() {
    return settings.refreshAhead();
  }

  /** This rule switched on or off. */
  public MethodRule withEnabled(boolean on) {
    return new MethodRule(index, signature, key, settings, on, evictOn, batch);
  }

  /** Whether its calls read and store one entry per element of the collection argument {@link #batch} names. */
  public boolean isBatch() {
    return batch != null;
  }

  /** Builds a MethodRule field by field; see {@link MethodRule#cache}. */
  public static final class Builder {
    private final MethodSignature signature;
    private int index;
    private List<KeyExpression> key;
    private Duration ttl = MethodSettings.BUILT_IN.ttl();
    private double ttlJitter = MethodSettings.BUILT_IN.ttlJitter();
    private boolean cacheNulls = MethodSettings.BUILT_IN.cacheNulls();
    private Duration nullTtl;
    private boolean stampedeLock = MethodSettings.BUILT_IN.stampedeLock();
    private NearCacheSettings nearCache = MethodSettings.BUILT_IN.nearCache();
    private double refreshAhead = MethodSettings.BUILT_IN.refreshAhead();
    private boolean enabled = true;
    private List<EvictRule> evictOn = Immutable.listOf();
    private BatchRule batch;

    private Builder(MethodSignature signature) {
      this.signature = signature;
    }

    public Builder index(int index) {
      this.index = index;
      return this;
    }

    /** Expressions over the arguments; {@code null}, the default, means all arguments. */
    public Builder key(List<KeyExpression> key) {
      this.key = key;
      return this;
    }

    /** All seven settings at once, as {@code defaults} and the method's entry gave them. */
    public Builder settings(MethodSettings settings) {
      this.ttl = settings.ttl();
      this.ttlJitter = settings.ttlJitter();
      this.cacheNulls = settings.cacheNulls();
      this.nullTtl = settings.nullTtl();
      this.stampedeLock = settings.stampedeLock();
      this.nearCache = settings.nearCache();
      this.refreshAhead = settings.refreshAhead();
      return this;
    }

    public Builder ttl(Duration ttl) {
      this.ttl = ttl;
      return this;
    }

    public Builder ttlJitter(double ttlJitter) {
      this.ttlJitter = ttlJitter;
      return this;
    }

    public Builder cacheNulls(boolean cacheNulls) {
      this.cacheNulls = cacheNulls;
      return this;
    }

    /** How long a cached {@code null} lives; unset, the rule's {@code ttl}. */
    public Builder nullTtl(Duration nullTtl) {
      this.nullTtl = nullTtl;
      return this;
    }

    public Builder stampedeLock(boolean stampedeLock) {
      this.stampedeLock = stampedeLock;
      return this;
    }

    /** Copies of its entries kept in each JVM; {@code null}, the default: none. */
    public Builder nearCache(NearCacheSettings nearCache) {
      this.nearCache = nearCache;
      return this;
    }

    /** Share of an entry's life after which a hit reloads it in the background; 0, the default: never. */
    public Builder refreshAhead(double refreshAhead) {
      this.refreshAhead = refreshAhead;
      return this;
    }

    public Builder enabled(boolean enabled) {
      this.enabled = enabled;
      return this;
    }

    public Builder evictOn(List<EvictRule> evictOn) {
      this.evictOn = Immutable.listCopy(evictOn);
      return this;
    }

    /** The argument whose collection is cached per element; {@code null}, the default: none. */
    public Builder batch(BatchRule batch) {
      this.batch = batch;
      return this;
    }

    /** {@code batch: args[argument]}. */
    public Builder batch(int argument) {
      return batch(BatchRule.of(argument));
    }

    public MethodRule build() {
      MethodSettings settings = new MethodSettings(ttl, ttlJitter, cacheNulls, nullTtl, stampedeLock, nearCache, refreshAhead);
      return new MethodRule(index, signature, key, settings, enabled, evictOn, batch);
    }
  }
}
