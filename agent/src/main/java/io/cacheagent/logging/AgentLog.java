package io.cacheagent.logging;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The agent's log: one line per distinct problem on standard error, prefixed {@code [cache-agent]}.
 *
 * <p>A problem is identified by a key chosen by the caller (e.g. "redis-down" or "unstable-arg:"
 * plus the method). The same problem is printed at most once per {@link #REPEAT_AFTER_NANOS}; the
 * next line says how many times it was suppressed. Messages must never contain secrets.
 *
 * <p>Every message stays one line: control characters (line breaks, terminal escapes) are printed
 * as {@code ?}. Messages quote text from outside, such as a class name read from bytes in Redis,
 * and such text must not be able to forge a line of its own in the log.
 */
public final class AgentLog {

  /** How long the same problem stays quiet after it was printed: one minute, in nanoseconds. */
  public static final long REPEAT_AFTER_NANOS = TimeUnit.MINUTES.toNanos(1);

  private static final String PREFIX = "[cache-agent] ";
  private static final ConcurrentMap<String, Occurrence> PROBLEMS = new ConcurrentHashMap<>();

  private AgentLog() {}

  /** Prints an informational line; for start-up and configuration changes only. */
  public static void info(String message) {
    System.err.println(PREFIX + oneLine(message));
  }

  /** Prints a problem, unless the same problem was printed in the last minute. */
  public static void warn(String problem, String message) {
    Occurrence occurrence = PROBLEMS.computeIfAbsent(problem, k -> new Occurrence());
    long suppressed = occurrence.tryPrint(System.nanoTime());
    if (suppressed >= 0) {
      System.err.println(
          PREFIX + oneLine(message) + (suppressed > 0 ? " (" + suppressed + " more since last report)" : ""));
    }
  }

  /** {@code message} with every control character, and the Unicode line and paragraph separators, as {@code ?}. */
  static String oneLine(String message) {
    StringBuilder line = null;
    for (int i = 0; i < message.length(); i++) {
      char c = message.charAt(i);
      if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
        if (line == null) {
          line = new StringBuilder(message);
        }
        line.setCharAt(i, '?');
      }
    }
    return line == null ? message : line.toString();
  }

  /** Forgets a problem, so that its next occurrence is reported at once (e.g. Redis came back). */
  public static void resolved(String problem) {
    PROBLEMS.remove(problem);
  }

  private static final class Occurrence {
    private final AtomicLong lastPrinted = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong suppressed = new AtomicLong();

    /** Returns the number suppressed since the last print, or -1 to stay quiet. */
    long tryPrint(long now) {
      long last = lastPrinted.get();
      if (last != Long.MIN_VALUE && now - last < REPEAT_AFTER_NANOS) {
        suppressed.incrementAndGet();
        return -1;
      }
      if (!lastPrinted.compareAndSet(last, now)) {
        suppressed.incrementAndGet();
        return -1;
      }
      return suppressed.getAndSet(0);
    }
  }
}
