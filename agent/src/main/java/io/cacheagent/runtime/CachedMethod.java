package io.cacheagent.runtime;

import io.cacheagent.codec.ValueCodec;
import io.cacheagent.config.MethodRule;
import io.cacheagent.key.CacheKeys;
import io.cacheagent.key.UnstableArgumentException;
import java.util.Map;

/**
 * One instrumented method whose results are cached: its rule, where its keys live, and the codec
 * bound to its class loader. Created when its class is transformed; read on every call.
 */
final class CachedMethod {

  private static final Map<String, Class<?>> BOXES = Map.of(
      "boolean", Boolean.class, "byte", Byte.class, "char", Character.class, "short", Short.class,
      "int", Integer.class, "long", Long.class, "float", Float.class, "double", Double.class);

  final int id;
  final String name;
  final MethodRule rule;
  final String namespace;
  final String generationKey;
  final ValueCodec codec;
  final MethodStats stats = new MethodStats();
  private final String returnTypeName;
  private final ClassLoader loader;
  private volatile Class<?> returnType;

  CachedMethod(int id, String name, MethodRule rule, String keyPrefix, String returnTypeName, ClassLoader loader) {
    this.id = id;
    this.name = name;
    this.rule = rule;
    this.namespace = CacheKeys.namespace(keyPrefix, name);
    this.generationKey = CacheKeys.generationKey(keyPrefix, rule.signature().toString());
    this.returnTypeName = returnTypeName;
    this.loader = loader;
    this.codec = new ValueCodec(loader);
  }

  String keyFor(Object[] args) throws UnstableArgumentException {
    return CacheKeys.key(namespace, rule.key(), args);
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
