package io.cacheagent.codec;

import java.lang.annotation.Annotation;

/**
 * Tells JPA entities apart, by the name of their annotation, so that the agent needs no JPA of its
 * own: {@code jakarta.persistence.Entity} (JPA 3, Hibernate 6) or {@code javax.persistence.Entity}
 * (JPA 2, Hibernate 5).
 */
public final class JpaEntities {

  private static final ClassValue<Boolean> ENTITIES = new ClassValue<Boolean>() {
    @Override
    protected Boolean computeValue(Class<?> type) {
      for (Annotation annotation : type.getDeclaredAnnotations()) {
        if (isEntityAnnotation(annotation.annotationType().getName())) {
          return true;
        }
      }
      return false;
    }
  };

  private JpaEntities() {}

  /** Whether an annotation of this name makes its class an entity. */
  public static boolean isEntityAnnotation(String annotationName) {
    return annotationName.equals("jakarta.persistence.Entity") || annotationName.equals("javax.persistence.Entity");
  }

  /** Whether a class is a JPA entity; {@code false} when its annotations cannot be read. Found once per class. */
  public static boolean isEntity(Class<?> type) {
    try {
      return ENTITIES.get(type);
    } catch (RuntimeException | LinkageError unreadable) {
      return false;
    }
  }
}
