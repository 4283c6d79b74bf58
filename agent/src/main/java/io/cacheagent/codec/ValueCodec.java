package io.cacheagent.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.DefaultSerializers;
import com.esotericsoftware.kryo.util.DefaultInstantiatorStrategy;
import io.cacheagent.jdk.Immutable;
import io.cacheagent.jdk.JavaRuntime;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import lombok.Value;
import org.objenesis.strategy.StdInstantiatorStrategy;

/*
 * Turns cached values into the bytes stored under a key, and back.
 *
 * Layout of an entry: byte 0xCA (ours), byte FORMAT_VERSION, 8 bytes generation, 8 bytes shape
 * fingerprint (both big-endian); in format 2 only, 8 bytes saying when a hit should reload it
 * (milliseconds since the epoch: a method's refreshAhead); then the value as Kryo wrote it with
 * class names. Methods without refreshAhead write format 1, which agents before format 2 read too.
 * A read with another shape fingerprint (see ShapeFingerprint) is a miss. The generation is the one of the cached method when
 * the value was loaded; a read that sees another generation treats the entry as evicted (see
 * CacheRuntime). Anything that does not parse, whatever the reason, is reported as undecodable,
 * which the caller treats as a miss.
 *
 * Kryo resolves class names through the class loader of the instrumented method, never through the
 * agent's own: the values are the application's classes. Only names on the method's
 * ClassAllowList are resolved at all. Kryo instances are not thread-safe and are
 * costly to build, so each codec keeps a few (see KryoPool).
 */
public final class ValueCodec {

  /** Version of the entry layout; entries of other versions than it and {@link #FORMAT_WITH_REFRESH} are misses. */
  public static final byte FORMAT_VERSION = 1;
  /** Version of the layout that also holds when to refresh the entry. */
  public static final byte FORMAT_WITH_REFRESH = 2;
  /** The versions read, for messages. */
  public static final String FORMATS = FORMAT_VERSION + " or " + FORMAT_WITH_REFRESH;
  /** When an entry of format 1 should be refreshed: never. */
  public static final long NEVER = Long.MAX_VALUE;

  private static final byte MAGIC = (byte) 0xCA;
  private static final int HEADER = 18;
  private static final int HEADER_WITH_REFRESH = HEADER + 8;
  private final KryoPool pool;

  /** A codec for values whose classes {@code loader} can see and {@code allowList} allows. */
  public ValueCodec(ClassLoader loader, ClassAllowList allowList) {
    // Classes of the bootstrap loader (null) are resolved through the platform loader.
    ClassLoader resolving = loader != null ? loader : JavaRuntime.platformClassLoader();
    this.pool = new KryoPool(() -> newKryo(resolving, allowList));
  }

  private static Kryo newKryo(ClassLoader loader, ClassAllowList allowList) {
    Kryo kryo = new Kryo(new AllowListClassResolver(allowList), new HibernateValues.References());
    kryo.setRegistrationRequired(false);
    kryo.setReferences(true);
    kryo.setClassLoader(loader);
    // Classes without a no-arg constructor are created without calling one, as deserialization does.
    kryo.setInstantiatorStrategy(new DefaultInstantiatorStrategy(new StdInstantiatorStrategy()));
    kryo.addDefaultSerializer(UUID.class, new DefaultSerializers.UUIDSerializer());
    kryo.addDefaultSerializer(Arrays.asList().getClass(), new DefaultSerializers.ArraysAsListSerializer());
    UnmodifiableSerializers.register(kryo);
    kryo.register(HibernateValues.class, new HibernateValues(), HibernateValues.REGISTRATION_ID);
    return kryo;
  }

  /**
   * Loads and runs the codec's code once, on a value of JDK types, so that the first miss of the
   * application does not pay for it (Kryo and its serializers take some 100 ms to load on a small
   * machine). Called on an agent thread at start; never throws.
   */
  public static void warmUp() {
    try {
      ValueCodec codec = new ValueCodec(null, new ClassAllowList(Immutable.listOf()));
      java.util.List<Object> value = new java.util.ArrayList<>(Immutable.listOf("warm", 42L));
      codec.decode(codec.encode(1, shapeOf(Object.class), value));
    } catch (Throwable ignored) {
      // only the time of the first miss depends on it
    }
  }

  /** The shape fingerprint of a declared return type (see {@link ShapeFingerprint}); never 0. */
  public static long shapeOf(java.lang.reflect.Type declaredReturnType) {
    return ShapeFingerprint.of(declaredReturnType);
  }

  /** The class the allow list refused, if that is why {@code e} was thrown; else {@code null}. */
  private static String refusedClass(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
      if (cause instanceof AllowListClassResolver.RefusedClassException) {
        return ((AllowListClassResolver.RefusedClassException) cause).className;
      }
    }
    return null;
  }

  /**
   * Encodes a value with its generation and shape fingerprint; throws when Kryo cannot write it,
   * or when it holds a class the allow list refuses (it could never be read back).
   */
  public byte[] encode(long generation, long shape, Object value) {
    return encode(generation, shape, value, NEVER);
  }

  /** {@link #encode}, in format 2 with when a hit should refresh it unless that is {@link #NEVER}. */
  public byte[] encode(long generation, long shape, Object value, long refreshAtMillis) {
    Kryo kryo = pool.obtain();
    try (Output output = new Output(256, -1)) {
      output.writeByte(MAGIC);
      output.writeByte(refreshAtMillis == NEVER ? FORMAT_VERSION : FORMAT_WITH_REFRESH);
      writeLong(output, generation);
      writeLong(output, shape);
      if (refreshAtMillis != NEVER) {
        writeLong(output, refreshAtMillis);
      }
      kryo.writeClassAndObject(output, value);
      return output.toBytes();
    } catch (RuntimeException e) {
      String refused = refusedClass(e);
      if (refused != null) {
        throw new IllegalArgumentException("it holds a " + refused
            + ", which entries of this method may not hold; to cache it, add the class (or its package, if it is yours) to serialization.allow");
      }
      throw e;
    } finally {
      pool.free(kryo);
    }
  }

  private static void writeLong(Output output, long value) {
    for (int shift = 56; shift >= 0; shift -= 8) {
      output.writeByte((byte) (value >>> shift)); // big-endian, as readLong reads it
    }
  }

  private static long readLong(byte[] bytes, int offset) {
    long value = 0;
    for (int i = offset; i < offset + 8; i++) {
      value = (value << 8) | (bytes[i] & 0xFF);
    }
    return value;
  }

  /**
   * The generation of a tombstone, and of bytes that are not an entry of ours: no read accepts it,
   * for no generation key ever holds it (see runtime.Generations).
   */
  public static final long NO_ENTRY_GENERATION = 0;

  /**
   * Bytes that mark an evicted key: an entry header with generation {@link #NO_ENTRY_GENERATION} and shape 0, which no read accepts, and
   * a random token, so that every tombstone differs and a compare-and-set can tell them apart.
   */
  public static byte[] tombstone() {
    byte[] tombstone = new byte[HEADER + 16];
    tombstone[0] = MAGIC;
    tombstone[1] = FORMAT_VERSION;
    byte[] token = new byte[16];
    ThreadLocalRandom.current().nextBytes(token);
    System.arraycopy(token, 0, tombstone, HEADER, token.length);
    return tombstone;
  }

  /** Whether the bytes start like an entry (or a tombstone) of a format version this agent reads. */
  public static boolean isOurs(byte[] bytes) {
    return bytes != null && bytes.length >= HEADER && bytes[0] == MAGIC
        && (bytes[1] == FORMAT_VERSION || bytes[1] == FORMAT_WITH_REFRESH && bytes.length >= HEADER_WITH_REFRESH);
  }

  private static int headerOf(byte[] bytes) {
    return bytes[1] == FORMAT_WITH_REFRESH ? HEADER_WITH_REFRESH : HEADER;
  }

  /** When a hit on the entry should reload it (milliseconds since the epoch); {@link #NEVER} for an entry of format 1. */
  public static long refreshAtOf(byte[] bytes) {
    return isOurs(bytes) && bytes[1] == FORMAT_WITH_REFRESH ? readLong(bytes, HEADER) : NEVER;
  }

  /** The generation an entry was written under; {@link #NO_ENTRY_GENERATION} for a tombstone or bytes not ours. */
  public static long generationOf(byte[] bytes) {
    return isOurs(bytes) ? readLong(bytes, 2) : NO_ENTRY_GENERATION;
  }

  /** The shape fingerprint an entry was written with, or 0 when the bytes are not an entry of ours. */
  public static long shapeOf(byte[] bytes) {
    return isOurs(bytes) ? readLong(bytes, 10) : 0;
  }

  /**
   * A decoded value; whether it holds Hibernate collections or lazy references that were not
   * loaded when it was cached (read back uninitialized, as a detached entity holds them; see
   * HibernateValues); and
   * whether it holds JPA entities at all, whatever the method declares it returns.
   */
  @Value
  public static class Decoded {

    /** The decoded value. */
    Object value;
    /** Whether it holds Hibernate collections or lazy references that were not loaded. */
    boolean notLoadedParts;
    /** Whether it holds JPA entities at all. */
    boolean holdsEntities;
  }

  /** Decodes an entry; throws {@link UndecodableException} for anything that is not a whole entry. */
  public Object decode(byte[] bytes) throws UndecodableException {
    return decodeEntry(bytes, bytes.length).value();
  }

  /**
   * Decodes the entry in the first {@code length} bytes (those that follow are its signature, see
   * EntrySigning), saying whether it has parts that were not loaded; throws as {@link #decode} does.
   */
  public Decoded decodeEntry(byte[] bytes, int length) throws UndecodableException {
    if (length < HEADER || generationOf(bytes) == NO_ENTRY_GENERATION || length < headerOf(bytes)) { // a tombstone, or bytes not ours
      throw new UndecodableException("not a cache-agent entry of format " + FORMATS);
    }
    Kryo kryo = null;
    int header = headerOf(bytes);
    try (Input input = new Input(bytes, header, length - header)) {
      kryo = pool.obtain();
      kryo.getContext().remove(HibernateValues.NOT_LOADED_READ);
      kryo.getContext().remove(HibernateValues.ENTITY_READ);
      Object value = kryo.readClassAndObject(input);
      if (input.position() != length) {
        throw new UndecodableException((length - input.position()) + " bytes left after the value");
      }
      return new Decoded(value, kryo.getContext().remove(HibernateValues.NOT_LOADED_READ) != null,
          kryo.getContext().remove(HibernateValues.ENTITY_READ) != null);
    } catch (UndecodableException e) {
      throw e;
    } catch (RuntimeException | LinkageError | StackOverflowError | OutOfMemoryError e) {
      // OutOfMemoryError: planted bytes can claim a collection or array of any size; the one
      // allocation failed, nothing else was taken.
      String refused = refusedClass(e);
      throw refused != null ? UndecodableException.refused(refused) : new UndecodableException(String.valueOf(e));
    } finally {
      if (kryo != null) {
        pool.free(kryo);
      }
    }
  }
}
