package com.acme.keys;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

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
    return "label of " + text.chars().mapToObj(Integer::toHexString).collect(Collectors.toList());
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
    switch (type) {
      case "int":
        return Integer.valueOf(text);
      case "long":
        return Long.valueOf(text);
      case "short":
        return Short.valueOf(text);
      case "big":
        return new java.math.BigInteger(text);
      case "ints":
        return Arrays.stream(text.split(",")).mapToInt(Integer::parseInt).toArray();
      case "list":
        return Arrays.stream(text.split(",")).map(Integer::valueOf).collect(Collectors.toList());
      default:
        throw new IllegalArgumentException(type);
    }
  }

  static final List<String> SURROGATES = Arrays.asList("\uD800", "\uDC00", "?", "\uFFFD");
}
