package io.cacheagent.runtime;

import io.cacheagent.codec.ClassAllowList;
import io.cacheagent.codec.EntrySigning;
import io.cacheagent.codec.JpaEntities;
import io.cacheagent.codec.ValueCodec;
import io.cacheagent.config.MethodRule;
import io.cacheagent.config.MethodSignature;
import io.cacheagent.jdk.Immutable;
import io.cacheagent.key.CacheKeys;
import io.cacheagent.key.GenerationKey;
import io.cacheagent.key.KeyExpression;
import io.cacheagent.key.KeyNames;
import io.cacheagent.key.KeyShape;
import io.cacheagent.key.Namespace;
import io.cacheagent.key.UnstableArgumentException;
import io.cacheagent.logging.AgentLog;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import lombok.Value;

/**
 * One instrumented method whose results are cached: its rule, where its keys live, and the codec
 * bound to its class loader. Created when its class is transformed; read on every call.
 */
final class CachedMethod {

  private static final Map<String, Class<?>> BOXES = Immutable.mapOf(
      "boolean", Boolean.class, "byte", Byte.class, "char", Character.class, "short", Short.class,
      "int", Integer.class, "long", Long.class, "float", Float.class, "double", Double.class);

  /** Least time a follower waits for a load, however fast the method's loads were: 50 ms. */
  static final long FOLLOWER_WAIT_FLOOR = TimeUnit.MILLISECONDS.toNanos(50);
  /** How long a follower waits for a load before any load of the method was timed: 1 s. */
  static final long FOLLOWER_WAIT_UNKNOWN = TimeUnit.SECONDS.toNanos(1);

  /** The concrete method, e.g. {@code com.acme.JdbcRepo#find(long)}: for logs, JMX and metrics. */
  final String name;
  /**
   * The method as its rule names it, and so where its keys live: {@code name}, or the interface or
   * abstract method it implements ({@code com.acme.Repo#find(long)}), whose every implementation
   * shares these keys, as evictions named on the interface expect.
   */
  final String configuredAs;
  /** Replaced whole when the configuration is reloaded. */
  volatile MethodRule rule;
  /** Where its keys live: those of {@code configuredAs}. */
  private final Namespace namespace;
  /**
   * How this method's keys are made and which generation they belong to. Follows the rule, and is
   * replaced whole with it, so that a call during a reload never pairs the old key expressions with
   * the new shape or generation.
   */
  volatile KeySpace keys;
  /** Looked up on the first miss that needs it. */
  private final Transactions.OnFirstUse transactions;
  private final List<String> parameterTypes;

  /**
   * Where its keys live, the key expressions ({@code null}: all arguments), the key shape that goes
   * with them, and the generation key, which changes with the signature or the key expressions. A
   * batch method with {@code entriesOf} has that method's.
   */
  @Value
  static class KeySpace {
    Namespace namespace;
    List<KeyExpression> expressions;
    KeyShape shape;
    GenerationKey generationKey;

    /** The keys of the method {@code rule} names, as its signature gives them: those its evictions compute (see Eviction#of). */
    static KeySpace of(MethodRule rule, KeyNames keyNames) {
      MethodSignature signature = rule.signature();
      return new KeySpace(keyNames.namespace(signature.toString()), rule.key(),
          KeyShape.of(signature.hasParameterList() ? signature.parameterTypes() : Immutable.listOf(), rule.key()), Generations.keyOf(keyNames, rule));
    }
  }
  /** What its entries may hold, and the codec that keeps to it: both replaced when serialization.allow is reloaded. */
  @Value
  static class Values {
    ClassAllowList allowList;
    ValueCodec codec;
  }
  private volatile Values values;
  /** Signs the entries this method writes, and checks those it reads, before they are decoded. */
  final EntrySigning signing;
  final MethodStats stats = new MethodStats();
  /** Its copies in this JVM, made on first use as its rule's nearCache says (see NearCaches); {@code null}: none. */
  volatile NearCache near;
  /**
   * Whether it returns a CompletableFuture or CompletionStage: its entries hold the value the future
   * completes with, and a hit returns a completed future of it (see CacheRuntime).
   */
  final boolean returnsFuture;
  /**
   * For a method with {@code batch}, as it was instrumented: its entries hold one element's value
   * each (see BatchReads); {@code null} for another. A reload that changes it takes effect at the
   * next start: the method runs uncached meanwhile.
   */
  final Batch batch;
  /**
   * Set when a batch method returned what cannot be lined up with its elements (see BatchReads): it
   * runs uncached until a reload gives it a rule again.
   */
  volatile boolean batchBroken;
  /** The declared type of a batch method's collection argument; resolved on first use. */
  private volatile Class<?> batchParameterType;
  private final String descriptor;
  /** The declared return type; for a method that returns a future, the type of its value; for a batch method, of one element's. */
  private final String returnTypeName;
  private final ClassLoader loader;
  private volatile Class<?> returnType;
  private volatile long shape;
  /** The names of the classes its declared return type names; where one is an entity, see {@link #returnsEntities}. */
  private final List<String> valueTypes;
  /** Computed on first use: the classes may not be loaded when the method is instrumented. */
  private volatile Boolean returnsEntities;
  /** The class that declares the method, and its name: what Spring names its own transaction after. */
  private final String declaringClass;
  private final String methodName;
  /** The method by reflection, and a handle that calls it again: found on first use. */
  private volatile Method declared;
  private volatile MethodHandle callAgain;

  CachedMethod(String name, String configuredAs, String descriptor, MethodRule rule, KeyNames keyNames,
      List<String> valueTypes, boolean returnsFuture, Batch batch, List<String> serializationAllow, EntrySigning signing,
      ClassLoader loader) {
    this.returnsFuture = returnsFuture;
    this.batch = batch;
    this.name = name;
    this.configuredAs = configuredAs;
    this.descriptor = descriptor;
    this.rule = rule;
    this.namespace = keyNames.namespace(configuredAs);
    // As the configuration names it (with parameter types even when the rule lists none), so that
    // the shape is the one evicting JVMs derive from the same text.
    this.parameterTypes = MethodSignature.parse(configuredAs).parameterTypes();
    this.keys = keySpace(rule, keyNames); // after namespace and parameterTypes
    this.returnTypeName = valueTypes.get(0);
    this.valueTypes = Immutable.listCopy(valueTypes);
    this.declaringClass = name.substring(0, name.indexOf('#'));
    this.methodName = name.substring(name.indexOf('#') + 1, name.indexOf('('));
    this.loader = loader;
    this.transactions = new Transactions.OnFirstUse(loader);
    this.signing = signing;
    this.values = valuesFor(serializationAllow); // last: it reads the fields above
  }

  /** What its entries may hold, and the codec that keeps to it; read once per entry. */
  Values values() {
    return values;
  }

  /** Takes a reloaded {@code serialization.allow}: entries encoded and decoded from now on keep to it. */
  void allow(List<String> serializationAllow) {
    values = valuesFor(serializationAllow);
  }

  private Values valuesFor(List<String> serializationAllow) {
    ClassAllowList allowList = ClassAllowList.forMethod(declaringClass, configuredAs.substring(0, configuredAs.indexOf('#')),
        valueTypes, serializationAllow);
    return new Values(allowList, new ValueCodec(loader, allowList));
  }

  /**
   * How long a fresh entry holding {@code result} lives: {@code ttl} (or {@code nullTtl} for a
   * {@code null}) shortened by a random part of up to {@code ttlJitter}, never lengthened, so that
   * entries written together (a warm-up, a deploy) do not all expire in the same second.
   */
  Duration ttlFor(Object result) {
    Duration ttl = result == null ? rule.nullTtl() : rule.ttl();
    if (rule.ttlJitter() == 0) {
      return ttl;
    }
    long millis = ttl.toMillis();
    long cut = (long) (millis * rule.ttlJitter() * ThreadLocalRandom.current().nextDouble());
    return Duration.ofMillis(Math.max(1, millis - cut));
  }

  /**
   * How long a call waits for another thread's load of the same key before it runs the method
   * itself: twice the p99 of this method's loads so far, at least FOLLOWER_WAIT_FLOOR; before any
   * load was timed, FOLLOWER_WAIT_UNKNOWN. A follower that holds a lock the load needs then
   * waits about as long as a load takes, not the 10 s that bound every wait.
   */
  long followerWaitNanos() {
    if (stats.loadNanos.getTotalCount() == 0) {
      return FOLLOWER_WAIT_UNKNOWN;
    }
    return Math.max(FOLLOWER_WAIT_FLOOR, 2 * stats.loadNanos.getValueAtPercentile(99));
  }

  /** Takes a reloaded rule, with the key space that goes with it. */
  void rebind(MethodRule next, KeyNames keyNames) {
    keys = keySpace(next, keyNames);
    rule = next;
    batchBroken = false;
    NearCache current = near;
    if (current != null && !current.isFor(next)) {
      // Its copies are never served under another rule: let them go now, not at the next call,
      // which a method switched off or left out of the file does not make.
      near = null;
    }
  }

  private KeySpace keySpace(MethodRule rule, KeyNames keyNames) {
    MethodRule single = rule.isBatch() ? rule.batch().shared() : null;
    if (single != null) {
      return KeySpace.of(single, keyNames);
    }
    return new KeySpace(namespace, rule.key(), KeyShape.of(parameterTypes, rule.key()), Generations.keyOf(keyNames, rule));
  }

  /** The key under which the entries of this method move to a new generation when all are dropped. */
  GenerationKey generationKey() {
    return keys.generationKey();
  }

  ClassLoader loader() {
    return loader;
  }

  /**
   * Whether its declared return type names a JPA entity ({@code Author}, {@code Optional<Author>},
   * {@code List<Author>}): a caller inside a transaction would get it managed, not a copy.
   */
  boolean returnsEntities() {
    Boolean known = returnsEntities;
    if (known == null) {
      known = valueTypes.stream().anyMatch(this::isEntity);
      returnsEntities = known;
    }
    return known;
  }

  private boolean isEntity(String className) {
    try {
      return JpaEntities.isEntity(Class.forName(className, false, loader));
    } catch (ClassNotFoundException | LinkageError notAClass) {
      return false; // a primitive, an array, a class the loader cannot see
    }
  }

  /**
   * Whether the call, made on {@code self}, runs inside a transaction that its caller began, not
   * the one begun for the method itself (see SpringTransactions, JtaTransactions).
   */
  boolean inCallersTransaction(Object self) {
    return transactions().inCallersTransaction(self, declaringClass, methodName);
  }

  /** The application's transactions as the method's class loader sees them. */
  Transactions transactions() {
    return transactions.get();
  }

  /** The key of a call in {@code space}, which the caller read once from {@link #keys}. */
  String keyFor(KeySpace space, Object self, Object[] args) throws UnstableArgumentException {
    return CacheKeys.key(space.namespace(), space.generationKey(), space.expressions(), space.shape(), self, args);
  }

  /** The shape fingerprint of the declared return type; computed on first use, by reflection, once. */
  long shape() {
    long current = shape;
    if (current == 0) {
      current = computeShape();
      shape = current;
    }
    return current;
  }

  private long computeShape() {
    try {
      Type returned = declared().getGenericReturnType();
      return ValueCodec.shapeOf(returnsFuture || batch != null ? lastTypeArgument(returned) : returned);
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      AgentLog.warn("shape:" + name, name + ": cannot read the shape of its return type (" + e
          + "); entries written by other versions of its classes are not told apart");
    }
    return 1;
  }

  /** The method itself, found by reflection on first use. */
  private Method declared() throws ClassNotFoundException, NoSuchMethodException {
    Method known = declared;
    if (known == null) {
      for (Method method : Class.forName(declaringClass, false, loader).getDeclaredMethods()) {
        if (method.getName().equals(methodName) && MethodType.methodType(method.getReturnType(),
            method.getParameterTypes()).toMethodDescriptorString().equals(descriptor)) {
          known = method;
          break;
        }
      }
      if (known == null) {
        throw new NoSuchMethodException(name + descriptor);
      }
      declared = known;
    }
    return known;
  }

  /**
   * A handle that runs this method again (see CallAgain); found on first use;
   * {@code null} when this agent may not call it.
   */
  MethodHandle callAgain() {
    MethodHandle known = callAgain;
    if (known == null) {
      try {
        known = CallAgain.handleOf(declared());
      } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
        known = CallAgain.CANNOT;
      }
      callAgain = known;
    }
    return known == CallAgain.CANNOT ? null : known;
  }

  /**
   * The type its entries hold: {@code Product} of {@code CompletableFuture<Product>}, and of a batch
   * method's {@code List<Product>} or {@code Map<Long, Product>}.
   */
  private static Type lastTypeArgument(Type returned) {
    if (!(returned instanceof ParameterizedType)) {
      return Object.class;
    }
    Type[] arguments = ((ParameterizedType) returned).getActualTypeArguments();
    return arguments[arguments.length - 1];
  }

  /** The declared type of a batch method's collection argument; {@code null} when its class loader cannot load it. */
  Class<?> batchParameterType() {
    Class<?> type = batchParameterType;
    if (type == null && batch != null) {
      try {
        type = Class.forName(batch.parameterType(), false, loader);
        batchParameterType = type;
      } catch (ClassNotFoundException | LinkageError e) {
        return null;
      }
    }
    return type;
  }

  /** Whether its rule asks for the batch form it was instrumented with: if not, a reload changed it, and it runs uncached. */
  boolean batchAsConfigured() {
    MethodRule current = rule;
    return batch == null ? !current.isBatch() : current.isBatch() && batch.argument() == current.batch().argument();
  }

  /** Whether {@code entry} was stored under {@code generation} by a class of this method's shape: one it may serve. */
  boolean isCurrent(byte[] entry, long generation) {
    return entry != null && ValueCodec.generationOf(entry) == generation && ValueCodec.shapeOf(entry) == shape();
  }

  /** Whether a decoded value may be returned by this method (a changed return type makes it a miss). */
  boolean accepts(Object value) {
    if (value == null) {
      return !BOXES.containsKey(returnTypeName);
    }
    Class<?> type = returnType;
    if (type == null) {
      type = BOXES.get(returnTypeName);
      if (type == null) {
        try {
          type = Class.forName(returnTypeName, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
          return false;
        }
      }
      returnType = type;
    }
    return type.isInstance(value);
  }
}
