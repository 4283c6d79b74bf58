package io.cacheagent.runtime;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.cacheagent.key.CacheKeys;
import io.cacheagent.key.UnstableArgumentException;
import java.util.Arrays;
import java.util.List;

/**
 * The keys of one method's recent calls, by their arguments, for a method with a nearCache: a hit
 * from a copy would otherwise spend most of its time writing its key out and hashing it. The key
 * instance is reused too, so its hash is computed once.
 *
 * <p>Only arguments whose {@code equals} implies the same key are remembered: boxed integers,
 * booleans, characters and strings of at most {@link #MAX_STRING} characters, as every argument of
 * a method keyed by all of them. A longer string goes into the key as its hash, and remembering it
 * would keep the whole text, up to tens of kilobytes an entry. Key
 * expressions ({@code key: args[0].id}) may read state that changes under an equal argument, and
 * any other argument may be mutable: those calls have their key written out every time.
 */
final class RecentKeys {

  /** Longest string argument remembered: as long as a key writes out (longer ones are hashed). */
  static final int MAX_STRING = CacheKeys.MAX_INLINE_STRING;

  private final CachedMethod.KeySpace space;
  private final Cache<Object, String> keys;

  RecentKeys(CachedMethod.KeySpace space, int maxEntries) {
    this.space = space;
    this.keys = Caffeine.newBuilder()
        .maximumSize(maxEntries)
        .executor(Runnable::run) // its upkeep runs on the caller's thread, never in the application's common pool
        .build();
  }

  /** Whether its keys are those of {@code current}: a reload that changes how keys are made starts afresh. */
  boolean isFor(CachedMethod.KeySpace current) {
    return current == space;
  }

  /** The key of calling {@code method} with {@code args} (see CachedMethod#keyFor). */
  String keyFor(CachedMethod method, Object self, Object[] args) throws UnstableArgumentException {
    Object arguments = space.expressions() == null ? plainArguments(args) : null;
    if (arguments == null) {
      return method.keyFor(space, self, args);
    }
    String key = keys.getIfPresent(arguments);
    if (key == null) {
      key = method.keyFor(space, self, args);
      keys.put(arguments, key);
    }
    return key;
  }

  /** The arguments as a map key; {@code null} when one of them is not a plain value. */
  private static Object plainArguments(Object[] args) {
    for (Object arg : args) {
      if (!isPlainValue(arg)) {
        return null;
      }
    }
    return args.length == 1 ? args[0] : Arrays.asList(args.clone()); // a copy: the caller may reuse its array
  }

  private static boolean isPlainValue(Object arg) {
    Class<?> type = arg == null ? null : arg.getClass();
    return type == Long.class || type == Integer.class || type == Short.class || type == Byte.class || type == Boolean.class
        || type == Character.class || type == String.class && ((String) arg).length() <= MAX_STRING;
  }
}
