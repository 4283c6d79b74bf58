package io.cacheagent.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.cacheagent.jdk.Immutable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import lombok.Value;

/*
 * A lazy to-one that was not loaded (an uninitialized HibernateProxy), written the way Hibernate
 * writes one for Java serialization, without Java serialization.
 *
 * HibernateProxy.writeReplace() gives Hibernate's SerializableProxy (entity name, id, entity class,
 * the id's getter and setter, ...), and its readResolve() makes a new uninitialized proxy without a
 * session: what a detached entity holds. Its id answers; touching anything else throws
 * LazyInitializationException. Hibernate 5 and 6 give it different fields, so the fields are copied
 * one by one by reflection, by name.
 *
 * Bytes in Redis are input from outside (see ClassAllowList), so a reader accepts only: Hibernate's
 * SerializableProxy (of its Byte Buddy proxies, Hibernate 5.3 and later); field values that are
 * null, strings, booleans, the id (read by Kryo, under the allow list), and classes, each of which
 * must be the entity (a JPA entity on the allow list), one of its supertypes other than Object,
 * HibernateProxy, a primitive type or a class of the allow list (the id's type, as the id setter's
 * parameter). Named classes are loaded without being initialized, and ObjectInputStream is never
 * used. Whatever the bytes say, the proxy read back may not load outside a session: a served copy
 * behaves as a detached entity, never opening a session of its own.
 */
final class HibernateProxies {

  private static final String PROXY_PACKAGE = "org.hibernate.proxy.";
  private static final String HIBERNATE_PACKAGE = "org.hibernate.";
  /** The serial form of Hibernate's Byte Buddy proxies, in Hibernate 5.3 to 6. */
  private static final String SERIAL_FORM = "org.hibernate.proxy.pojo.bytebuddy.SerializableProxy";
  private static final String PROXY_INTERFACE = "org.hibernate.proxy.HibernateProxy";
  /**
   * The field that lets a proxy open a session of its own to load (hibernate.enable_lazy_load_no_trans):
   * read back as false, whatever the bytes say.
   */
  private static final String LOADS_WITHOUT_SESSION = "allowLoadOutsideTransaction";
  private static final Map<String, Class<?>> PRIMITIVES = Immutable.mapOf("boolean", boolean.class, "byte", byte.class,
      "char", char.class, "short", short.class, "int", int.class, "long", long.class, "float", float.class,
      "double", double.class);
  /** The field of SerializableProxy (Hibernate 5 and 6) that holds the entity class. */
  private static final String ENTITY_CLASS_FIELD = "persistentClass";

  private static final byte NULL = 0;
  private static final byte TEXT = 1;
  private static final byte BOOLEAN = 2;
  private static final byte CLASS = 3;
  private static final byte CLASSES = 4;
  private static final byte OBJECT = 5;

  /** The fields copied, for each SerializableProxy class met: instance fields, not transient, keyed by owner and name. */
  private static final ClassValue<Map<String, Field>> FIELDS = new ClassValue<Map<String, Field>>() {
    @Override
    protected Map<String, Field> computeValue(Class<?> type) {
      Map<String, Field> fields = new LinkedHashMap<>();
      for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
        for (Field field : c.getDeclaredFields()) {
          int modifiers = field.getModifiers();
          if (!Modifier.isStatic(modifiers) && !Modifier.isTransient(modifiers)) {
            field.setAccessible(true);
            fields.put(c.getSimpleName() + "." + field.getName(), field);
          }
        }
      }
      return fields;
    }
  };

  private HibernateProxies() {}

  /** Whether writeReplace() of a proxy gave Hibernate's serial form (rather than its loaded entity). */
  static boolean isSerialForm(Object replacement) {
    return replacement != null && replacement.getClass().getName().startsWith(PROXY_PACKAGE);
  }

  /** Throws unless this is the serial form this class reads back. */
  private static void checkSerialForm(String typeName) {
    if (!SERIAL_FORM.equals(typeName)) {
      throw new KryoException("a lazy reference of a Hibernate proxy whose serial form is " + typeName + ", not "
          + SERIAL_FORM + " (Hibernate 5.3 or later, Byte Buddy proxies)");
    }
  }

  /** Writes Hibernate's serial form of an uninitialized proxy; throws when a reader could not accept it. */
  static void write(Kryo kryo, Output output, Object serialForm) {
    Class<?> type = serialForm.getClass();
    checkSerialForm(type.getName());
    Map<String, Field> fields = FIELDS.get(type);
    Class<?> entity = (Class<?>) get(entityClassField(fields), serialForm);
    if (entity == null || !JpaEntities.isEntity(entity)) {
      throw new KryoException(type.getName() + " does not name a JPA entity class");
    }
    resolver(kryo).checkAllowed(entity.getName());
    output.writeString(type.getName());
    output.writeVarInt(fields.size(), true);
    for (Map.Entry<String, Field> field : fields.entrySet()) {
      output.writeString(field.getKey());
      Object value = get(field.getValue(), serialForm);
      if (value == null) {
        output.writeByte(NULL);
      } else if (value instanceof String) {
        output.writeByte(TEXT);
        output.writeString((String) value);
      } else if (value instanceof Boolean) {
        output.writeByte(BOOLEAN);
        output.writeBoolean((Boolean) value);
      } else if (value instanceof Class<?>) {
        output.writeByte(CLASS);
        output.writeString(checked(kryo, ((Class<?>) value).getName(), entity));
      } else if (value instanceof Class<?>[]) {
        Class<?>[] named = (Class<?>[]) value;
        output.writeByte(CLASSES);
        output.writeVarInt(named.length, true);
        for (Class<?> each : named) {
          output.writeString(checked(kryo, each.getName(), entity));
        }
      } else if (value.getClass().getName().startsWith(HIBERNATE_PACKAGE)) {
        // Hibernate 5 and 6 hold the id's mapping here when the id is an embedded (composite) one.
        throw new KryoException("it holds a lazy reference to " + entity.getName() + ", whose id is a composite ("
            + value.getClass().getName() + "), which a cached copy cannot stand for");
      } else {
        output.writeByte(OBJECT);
        kryo.writeClassAndObject(output, value);
      }
    }
  }

  /** Reads what {@link #write} wrote: a new uninitialized proxy without a session. */
  static Object read(Kryo kryo, Input input) {
    String typeName = input.readString();
    checkSerialForm(typeName);
    Class<?> type = load(kryo, typeName);
    Method readResolve = readResolveOf(type);
    Map<String, Field> fields = FIELDS.get(type);
    int count = input.readVarInt(true);
    if (count != fields.size()) {
      throw new KryoException(typeName + " was written with " + count + " fields; this Hibernate's has " + fields.size());
    }
    // Read every value first: which classes may be named depends on the entity class, a value itself.
    Map<Field, Object> values = new LinkedHashMap<>();
    List<String> classNames = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String key = input.readString();
      Field field = fields.get(key);
      if (field == null) {
        throw new KryoException(typeName + " has no field " + key);
      }
      byte tag = input.readByte();
      Object value;
      switch (tag) {
        case NULL:
          value = null;
          break;
        case TEXT:
          value = input.readString();
          break;
        case BOOLEAN:
          value = input.readBoolean();
          break;
        case CLASS:
          value = new ClassName(remember(classNames, input.readString()));
          break;
        case CLASSES: {
          int length = input.readVarInt(true);
          if (length > 64) {
            throw new KryoException(typeName + " names " + length + " classes in one field");
          }
          ClassName[] names = new ClassName[length];
          for (int j = 0; j < length; j++) {
            names[j] = new ClassName(remember(classNames, input.readString()));
          }
          value = names;
          break;
        }
        case OBJECT:
          value = kryo.readClassAndObject(input);
          break;
        default:
          throw new KryoException("unknown field tag " + tag + " in a not-loaded reference");
      }
      values.put(field, value);
    }
    Class<?> entity = entityClass(kryo, fields, values);
    for (String name : classNames) {
      checked(kryo, name, entity);
    }
    Object serialForm = kryo.newInstance(type);
    for (Map.Entry<Field, Object> value : values.entrySet()) {
      Field field = value.getKey();
      Object resolved = field.getName().equals(LOADS_WITHOUT_SESSION) ? Boolean.FALSE : resolved(kryo, value.getValue(), entity);
      set(field, serialForm, resolved);
    }
    Object proxy = readResolve(readResolve, serialForm);
    if (!entity.isInstance(proxy)) {
      throw new KryoException(typeName + " did not make a proxy of " + entity.getName());
    }
    kryo.getContext().put(HibernateValues.ENTITY_READ, Boolean.TRUE);
    return proxy;
  }

  /** A class named in the bytes, loaded only once it has been checked. */
  @Value
  private static class ClassName {

    /** The class's name. */
    String name;
  }

  private static String remember(List<String> names, String name) {
    if (name == null) {
      throw new KryoException("a not-loaded reference names a null class");
    }
    names.add(name);
    return name;
  }

  private static Class<?> entityClass(Kryo kryo, Map<String, Field> fields, Map<Field, Object> values) {
    Object named = values.get(entityClassField(fields));
    if (!(named instanceof ClassName)) {
      throw new KryoException("a not-loaded reference does not name its entity class");
    }
    ClassName name = (ClassName) named;
    resolver(kryo).checkAllowed(name.name());
    Class<?> entity = load(kryo, name.name());
    if (!JpaEntities.isEntity(entity)) {
      throw new KryoException("a not-loaded reference names " + name.name() + ", which is not a JPA entity");
    }
    return entity;
  }

  /**
   * A class a proxy's serial form may name: the entity or one of its supertypes but Object (its
   * class, its interfaces, the class declaring its id's getter and setter), HibernateProxy, and
   * what the setter takes (the id's type: a primitive, or a class of the allow list).
   */
  private static String checked(Kryo kryo, String name, Class<?> entity) {
    if (name.equals(PROXY_INTERFACE) || PRIMITIVES.containsKey(name)
        || !name.equals("java.lang.Object") && isSupertypeName(entity, name)) {
      return name;
    }
    try {
      resolver(kryo).checkAllowed(name);
      return name;
    } catch (AllowListClassResolver.RefusedClassException refused) {
      throw new KryoException("a lazy reference to " + entity.getName() + " names " + name
          + ", which is neither the entity, one of its supertypes, HibernateProxy, nor a class entries may hold");
    }
  }

  private static boolean isSupertypeName(Class<?> type, String name) {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      if (c.getName().equals(name)) {
        return true;
      }
    }
    return HibernateValues.interfaceNamed(type, name) != null;
  }

  /** The field of the serial form that holds the entity class; throws when it has none. */
  private static Field entityClassField(Map<String, Field> fields) {
    for (Field field : fields.values()) {
      if (field.getName().equals(ENTITY_CLASS_FIELD)) {
        return field;
      }
    }
    throw new KryoException("a Hibernate proxy's serial form without a " + ENTITY_CLASS_FIELD + " field");
  }

  private static Object resolved(Kryo kryo, Object value, Class<?> entity) {
    if (value instanceof ClassName) {
      ClassName name = (ClassName) value;
      Class<?> primitive = PRIMITIVES.get(name.name());
      return primitive != null ? primitive : name.name().equals(entity.getName()) ? entity : load(kryo, name.name());
    }
    if (value instanceof ClassName[]) {
      ClassName[] names = (ClassName[]) value;
      Class<?>[] classes = new Class<?>[names.length];
      for (int i = 0; i < names.length; i++) {
        classes[i] = (Class<?>) resolved(kryo, names[i], entity);
      }
      return classes;
    }
    return value;
  }

  private static Object get(Field field, Object target) {
    try {
      return field.get(target);
    } catch (IllegalAccessException e) {
      throw new KryoException("cannot read " + field + ": " + e, e);
    }
  }

  private static void set(Field field, Object target, Object value) {
    try {
      field.set(target, value);
    } catch (IllegalAccessException | IllegalArgumentException e) {
      throw new KryoException("cannot set " + field + ": " + e, e);
    }
  }

  private static Method readResolveOf(Class<?> type) {
    try {
      Method readResolve = type.getDeclaredMethod("readResolve");
      readResolve.setAccessible(true);
      return readResolve;
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new KryoException(type.getName() + " has no usable readResolve(): " + e, e);
    }
  }

  private static Object readResolve(Method readResolve, Object serialForm) {
    try {
      return readResolve.invoke(serialForm);
    } catch (ReflectiveOperationException | RuntimeException e) {
      Throwable cause = e instanceof java.lang.reflect.InvocationTargetException ? e.getCause() : e;
      throw new KryoException("Hibernate could not make a not-loaded reference from " + serialForm.getClass().getName()
          + ": " + cause, cause);
    }
  }

  /** Loads a class through the method's loader, without initializing it. */
  private static Class<?> load(Kryo kryo, String name) {
    try {
      return Class.forName(name, false, kryo.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      throw new KryoException("cannot load " + name + ": " + e, e);
    }
  }

  private static AllowListClassResolver resolver(Kryo kryo) {
    return (AllowListClassResolver) kryo.getClassResolver();
  }
}
