package io.cacheagent.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the durations of the configuration: {@code 250ms}, {@code 30s}, {@code 10m}, {@code 1h}, {@code 1d}, {@code PT10M}. */
public final class Durations {

  static final String ACCEPTED = "use 250ms, 30s, 10m, 1h, 1d or PT10M";

  /**
   * The longest duration accepted: 100 years. TTLs are counted in nanoseconds (a long holds 292
   * years of them), and a deadline is now plus a TTL.
   */
  static final Duration LONGEST = Duration.ofDays(36_500);

  private static final Pattern SHORT = Pattern.compile("(\\d{1,12})\\s*(ms|s|m|h|d)");

  private Durations() {}

  /** Returns the duration, or {@code null} when the text is not one. */
  static Duration parse(String text) {
    String trimmed = text.trim();
    Matcher m = SHORT.matcher(trimmed);
    if (m.matches()) {
      long amount = Long.parseLong(m.group(1));
      switch (m.group(2)) {
        case "ms":
          return Duration.ofMillis(amount);
        case "s":
          return Duration.ofSeconds(amount);
        case "m":
          return Duration.ofMinutes(amount);
        case "h":
          return Duration.ofHours(amount);
        default:
          return Duration.ofDays(amount);
      }
    }
    if (trimmed.startsWith("P") || trimmed.startsWith("p")) {
      try {
        return Duration.parse(trimmed);
      } catch (DateTimeParseException e) {
        return null;
      }
    }
    return null;
  }

  /** A duration as the configuration writes it: {@code 250ms}, {@code 30s}, {@code 10m}, {@code 1h}, {@code 1d}. */
  public static String format(Duration duration) {
    long millis = duration.toMillis();
    long[] units = {86_400_000, 3_600_000, 60_000, 1_000};
    String[] names = {"d", "h", "m", "s"};
    for (int i = 0; i < units.length; i++) {
      if (millis != 0 && millis % units[i] == 0) {
        return millis / units[i] + names[i];
      }
    }
    return millis + "ms";
  }
}
