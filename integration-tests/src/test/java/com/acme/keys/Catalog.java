package com.acme.keys;

import java.util.Arrays;
import java.util.List;

/** Methods whose arguments test the keys: declared Object, large, and strings of any UTF-16. */
public class Catalog {
  int runs;

  /** Answers differ by the argument's type, as they may where a method takes Object. */
  public String describe(Object value) {
    runs++;
    String text = value.getClass().isArray() ? Arrays.toString((int[]) value) : String.valueOf(value);
    return value.getClass().getSimpleName() + ":" + text;
  }

  public String render(byte[] data) {
    runs++;
    return "rendered " + data.length + " bytes";
  }

  public String label(String text) {
    runs++;
    return "label of " + text.chars().mapToObj(Integer::toHexString).toList();
  }

  /** A write that makes describe's answers for this id stale, whatever integral type it was asked with. */
  public void touch(long id) {
    runs++;
  }

  public String owner(long id) {
    runs++;
    return "owner of " + id;
  }

  /** A write whose eviction is configured with a key its argument cannot give. */
  public void rename(String name) {
    runs++;
  }

  static Object value(String type, String text) {
    return switch (type) {
      case "int" -> Integer.valueOf(text);
      case "long" -> Long.valueOf(text);
      case "short" -> Short.valueOf(text);
      case "big" -> new java.math.BigInteger(text);
      case "ints" -> Arrays.stream(text.split(",")).mapToInt(Integer::parseInt).toArray();
      case "list" -> Arrays.stream(text.split(",")).map(Integer::valueOf).toList();
      default -> throw new IllegalArgumentException(type);
    };
  }

  static final List<String> SURROGATES = List.of("\uD800", "\uDC00", "?", "\uFFFD");
}
