package io.cacheagent.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/*
 * Hibernate's own objects inside entities, written as what they stand for, so that an entity is
 * cached as its detached copy would look, and no Hibernate class needs to be allowed:
 *
 * - a persistent collection (PersistentBag, PersistentSet, PersistentMap..., Hibernate 5 and 6)
 *   that is initialized: as a plain JDK collection with the same elements (ArrayList,
 *   LinkedHashSet, TreeSet with its comparator, LinkedHashMap, TreeMap);
 * - one that is not: as "not loaded", read back as an empty, uninitialized instance of the same
 *   Hibernate class without a session, which throws LazyInitializationException when touched,
 *   as on a detached entity;
 * - an initialized lazy proxy (HibernateProxy): as the entity it stands for;
 * - an uninitialized one: as "not loaded", in Hibernate's own serial form (see HibernateProxies),
 *   read back as an uninitialized proxy without a session, as on a detached entity.
 *
 * Recognized by the names of Hibernate's interfaces, found on the value's class, so the agent
 * needs no Hibernate of its own. Written under a registration of its own (see
 * AllowListClassResolver), which a reader maps back without loading any Hibernate class, except
 * those a "not loaded" marker names: a Hibernate persistent collection, or a proxy's serial form.
 */
final class HibernateValues extends Serializer<Object> {

  /** The id of the registration under which these values are written; both sides register it. */
  static final int REGISTRATION_ID = 100;

  private static final String PERSISTENT_COLLECTION = "org.hibernate.collection.spi.PersistentCollection";
  private static final String PROXY = "org.hibernate.proxy.HibernateProxy";
  private static final String LAZY_INITIALIZER = "org.hibernate.proxy.LazyInitializer";
  private static final String COLLECTION_PACKAGE = "org.hibernate.collection.";

  /** Put in the Kryo context when a read made a not-loaded collection or reference (see {@link ValueCodec#decodeEntry}). */
  static final String NOT_LOADED_READ = "cache-agent.notLoaded";

  private static final byte LOADED = 1;
  private static final byte NOT_LOADED = 2;
  private static final byte NOT_LOADED_REFERENCE = 3;

  /** What a class is to this serializer, found once per class. */
  private enum Kind { COLLECTION, PROXY, OTHER }

  private static final ClassValue<Kind> KINDS = new ClassValue<Kind>() {
    @Override
    protected Kind computeValue(Class<?> type) {
      if (implementsNamed(type, PERSISTENT_COLLECTION)) {
        return Kind.COLLECTION;
      }
      return implementsNamed(type, PROXY) ? Kind.PROXY : Kind.OTHER;
    }
  };

  /** Put in the Kryo context when a read met a JPA entity (see {@link ValueCodec#decodeEntry}). */
  static final String ENTITY_READ = "cache-agent.entity";

  /** Whether values of this class are written by this serializer. */
  static boolean handles(Class<?> type) {
    return KINDS.get(type) != Kind.OTHER;
  }

  /**
   * Kryo's references, but none to Hibernate's objects themselves: only what they are written as
   * (the entity behind a proxy, a collection's copy) is tracked. Kryo sets an object's reference
   * once its serializer returned, so a reference back to a proxy from inside its own entity (an
   * author's books, each naming the author through that proxy) would read as null.
   */
  static final class References extends com.esotericsoftware.kryo.util.MapReferenceResolver {
    @Override
    public boolean useReferences(Class type) {
      return type != HibernateValues.class && !handles(type) && super.useReferences(type);
    }
  }

  @Override
  public void write(Kryo kryo, Output output, Object value) {
    if (KINDS.get(value.getClass()) == Kind.COLLECTION) {
      if ((boolean) call(value, PERSISTENT_COLLECTION, "wasInitialized")) {
        output.writeByte(LOADED);
        kryo.writeClassAndObject(output, copyOf(kryo, value));
      } else {
        output.writeByte(NOT_LOADED);
        output.writeString(value.getClass().getName());
      }
      return;
    }
    Object initializer = call(value, PROXY, "getHibernateLazyInitializer");
    if ((boolean) call(initializer, LAZY_INITIALIZER, "isUninitialized")) {
      // Hibernate's serial form; or the entity, when its session had loaded it meanwhile.
      Object replacement = call(value, PROXY, "writeReplace");
      if (HibernateProxies.isSerialForm(replacement)) {
        output.writeByte(NOT_LOADED_REFERENCE);
        HibernateProxies.write(kryo, output, replacement);
        return;
      }
      output.writeByte(LOADED);
      kryo.writeClassAndObject(output, replacement);
      return;
    }
    output.writeByte(LOADED);
    kryo.writeClassAndObject(output, call(initializer, LAZY_INITIALIZER, "getImplementation"));
  }

  @Override
  public Object read(Kryo kryo, Input input, Class<?> type) {
    byte tag = input.readByte();
    if (tag == LOADED) {
      return kryo.readClassAndObject(input);
    }
    Object notLoaded;
    switch (tag) {
      case NOT_LOADED:
        notLoaded = notLoaded(kryo, input.readString());
        break;
      case NOT_LOADED_REFERENCE:
        notLoaded = HibernateProxies.read(kryo, input);
        break;
      default:
        throw new KryoException("unknown Hibernate value tag " + tag);
    }
    kryo.getContext().put(NOT_LOADED_READ, Boolean.TRUE);
    return notLoaded;
  }

  /** An empty, uninitialized collection of the named Hibernate class, as a detached entity holds. */
  private static Object notLoaded(Kryo kryo, String className) {
    if (className == null || !className.startsWith(COLLECTION_PACKAGE)) {
      throw new KryoException("a not-loaded collection names " + className + ", not a Hibernate collection");
    }
    try {
      Class<?> collectionClass = Class.forName(className, false, kryo.getClassLoader());
      if (KINDS.get(collectionClass) != Kind.COLLECTION) {
        throw new KryoException(className + " is not a Hibernate persistent collection");
      }
      return collectionClass.getConstructor().newInstance(); // no session, not initialized
    } catch (ReflectiveOperationException | LinkageError e) {
      throw new KryoException("cannot make a not-loaded " + className + ": " + e, e);
    }
  }

  /**
   * The one copy of a collection within the value being written: a collection two entities share
   * is written once and read back shared, as Kryo's references do for other objects.
   */
  @SuppressWarnings("unchecked")
  private static Object copyOf(Kryo kryo, Object collection) {
    java.util.Map<Object, Object> copies = (java.util.Map<Object, Object>) kryo.getGraphContext().get(COPIES);
    if (copies == null) {
      copies = new java.util.IdentityHashMap<>();
      kryo.getGraphContext().put(COPIES, copies);
    }
    return copies.computeIfAbsent(collection, HibernateValues::plainCopy);
  }

  private static final String COPIES = "cache-agent.collectionCopies";

  /** The elements of an initialized persistent collection in a JDK collection of the same kind. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Object plainCopy(Object collection) {
    if (collection instanceof SortedMap) {
      return new TreeMap((SortedMap) collection);
    }
    if (collection instanceof Map) {
      return new LinkedHashMap((Map) collection);
    }
    if (collection instanceof SortedSet) {
      return new TreeSet((SortedSet) collection);
    }
    if (collection instanceof Set) {
      return new LinkedHashSet((Set) collection);
    }
    if (collection instanceof Collection) {
      return new ArrayList((Collection) collection);
    }
    throw new KryoException("a Hibernate collection of " + collection.getClass().getName() + " is not a collection or map");
  }

  /** Calls a no-argument method of an interface of the application's Hibernate, by name. */
  private static Object call(Object target, String interfaceName, String methodName) {
    try {
      Class<?> owner = interfaceNamed(target.getClass(), interfaceName);
      Method method = owner.getMethod(methodName);
      return method.invoke(target);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new KryoException("cannot read " + target.getClass().getName() + "." + methodName + "(): " + e, e);
    }
  }

  private static boolean implementsNamed(Class<?> type, String interfaceName) {
    return interfaceNamed(type, interfaceName) != null;
  }

  /** The interface of this name that {@code type} implements, directly or through its supertypes; {@code null} if none. */
  static Class<?> interfaceNamed(Class<?> type, String interfaceName) {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      for (Class<?> implemented : c.getInterfaces()) {
        Class<?> found = implemented.getName().equals(interfaceName) ? implemented : interfaceNamed(implemented, interfaceName);
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }
}
