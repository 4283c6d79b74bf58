package io.cacheagent.codec;

import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.util.DefaultClassResolver;

/**
 * Kryo's class resolver with an allow list: a name not on it is refused before any class is loaded.
 * Hibernate's own collections and proxies never reach it: they are written as plain values.
 */
final class AllowListClassResolver extends DefaultClassResolver {

  private final ClassAllowList allowList;

  AllowListClassResolver(ClassAllowList allowList) {
    this.allowList = allowList;
  }

  /** Hibernate's collections and proxies are written as what they stand for (see {@link HibernateValues}). */
  @Override
  public Registration getRegistration(Class type) {
    if (HibernateValues.handles(type)) {
      return super.getRegistration(HibernateValues.REGISTRATION_ID);
    }
    return super.getRegistration(type);
  }

  /** Notes in the Kryo context when a class read is a JPA entity (see {@link ValueCodec#decodeEntry}). */
  @Override
  public Registration readClass(com.esotericsoftware.kryo.io.Input input) {
    Registration registration = super.readClass(input);
    if (registration != null && JpaEntities.isEntity(registration.getType())) {
      kryo.getContext().put(HibernateValues.ENTITY_READ, Boolean.TRUE);
    }
    return registration;
  }

  /**
   * NOTE: Kryo 5 calls this with each class name it reads, before Class.forName; a throw stops the
   * read. A name this resolver already resolved passed the check then: only its own method puts
   * names in {@code nameToClass}, and a new allow list comes with a new codec, and new resolvers.
   */
  @Override
  protected Class<?> getTypeByName(String className) {
    Class<?> known = super.getTypeByName(className);
    if (known != null) {
      return known;
    }
    checkAllowed(className);
    // Resolve here, through the method's loader only: Kryo would fall back to its own loader.
    try {
      Class<?> type = Class.forName(className, false, kryo.getClassLoader());
      if (nameToClass == null) {
        nameToClass = new com.esotericsoftware.kryo.util.ObjectMap<>();
      }
      nameToClass.put(className, type);
      return type;
    } catch (ClassNotFoundException e) {
      throw new KryoException("Unable to find class: " + className, e);
    }
  }

  @Override
  protected void writeName(Output output, Class type, Registration registration) {
    checkAllowed(type.getName());
    super.writeName(output, type, registration);
  }

  /** Throws {@link RefusedClassException} unless entries may hold instances of this class. */
  void checkAllowed(String className) {
    if (!allowList.allows(className)) {
      throw new RefusedClassException(className);
    }
  }

  /** A class an entry may not hold. */
  static final class RefusedClassException extends KryoException {

    private static final long serialVersionUID = 1L;

    final String className;

    RefusedClassException(String className) {
      super("class " + className + " is not allowed in cache entries");
      this.className = className;
    }
  }
}
