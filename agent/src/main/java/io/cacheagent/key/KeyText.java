package io.cacheagent.key;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The argument part of a key as it is written, and what writing it has cost. Key material (two
 * bytes per character written, and every byte hashed in place) is bounded by {@link #MAX_BYTES},
 * so that deriving a key stays a small part of a Redis round trip: SHA-256 reads about 1.3 GB/s
 * on one core here, so 64 KiB take some 50 us. A larger argument makes the call run uncached.
 */
final class KeyText {

  /** Most key material one call may take. */
  static final int MAX_BYTES = 64 * 1024;

  private final StringBuilder text = new StringBuilder(32);
  /** Shared by a text and the texts written apart for it (elements of sets, entries of maps). */
  private final long[] spent;

  KeyText() {
    this(new long[1]);
  }

  private KeyText(long[] spent) {
    this.spent = spent;
  }

  KeyText append(char c) {
    text.append(c);
    spent[0] += 2;
    return this;
  }

  KeyText append(String s) {
    text.append(s);
    spent[0] += 2L * s.length();
    return this;
  }

  /** Appends texts written apart by {@link #part()}, whose cost is already counted. */
  KeyText appendParts(String parts) {
    text.append(parts);
    return this;
  }

  /** Throws when the key already took more than its share; checked before each value is written. */
  void checkBudget() throws KeyTooLargeException {
    spend(0);
  }

  /**
   * Takes {@code bytes} more, for bytes about to be hashed, before they are read or copied; returns
   * them as an int, for allocation.
   */
  int spend(long bytes) throws KeyTooLargeException {
    if (spent[0] + bytes > MAX_BYTES) {
      throw new KeyTooLargeException(spent[0] + bytes);
    }
    spent[0] += bytes;
    return (int) bytes;
  }

  /** A text for a part written apart (an element of a set, to be sorted), on the same budget. */
  KeyText part() {
    return new KeyText(spent);
  }

  @Override
  public String toString() {
    return text.toString();
  }

  /** Base64url SHA-256 of the UTF-16 code units of {@code text} (see {@link #utf16}). */
  static String sha256Utf16(String text) {
    return sha256(utf16(text));
  }

  /**
   * The UTF-16 code units of {@code text} as they are, to hash: a charset would replace unpaired
   * surrogates, and two texts that differ only there would share a hash.
   */
  static byte[] utf16(String text) {
    ByteBuffer units = ByteBuffer.allocate(2 * text.length());
    units.asCharBuffer().put(text);
    return units.array();
  }

  /** The first 8 characters of the Base64url SHA-256 of {@code text}'s UTF-8 bytes: a short name part that stays the same in every JVM. */
  static String shortHash(String text) {
    return sha256(text.getBytes(StandardCharsets.UTF_8)).substring(0, 8);
  }

  /** Base64url SHA-256 of {@code bytes}, 43 characters. */
  static String sha256(byte[] bytes) {
    try {
      return Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
