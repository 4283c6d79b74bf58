package io.cacheagent.key;

import io.cacheagent.jdk.Immutable;
import java.util.ArrayList;
import java.util.List;
import lombok.Value;

/**
 * The generation key of a cached method (see runtime.CacheRuntime): the key whose value a drop of
 * every entry ({@code evictOn ... all: true}) replaces, and which a read fetches beside the entry.
 *
 * <p>On one Redis server that is one key, {@link #name}. On Redis Cluster a read's {@code MGET}
 * should go to one master (Lettuce splits one that spans slots into a command per slot, and one
 * generation key would take a command on every hit of its method), and a method's entries must
 * still spread over every master: so its
 * entries fall into {@link KeyNames#CLUSTER_SLOT_GROUPS} groups, each under its own hash tag
 * ({@code {<tag>.<group>}}), and each group has its own copy of the generation key, under the same
 * tag. A drop writes every copy. {@link #name} stays the method's identity either way.
 */
@Value
public class GenerationKey {

  /** The key on one server; on a cluster, the start of each copy's name. */
  String name;
  /** How many groups the entries fall into; 0 on one server (no hash tags). */
  int slotGroups;
  /**
   * What every group's hash tag starts with: a brace and a short hash of {@link #name}, computed
   * once, not on every call.
   */
  String tagStart;

  public GenerationKey(String name, int slotGroups, String tagStart) {
    this.name = name;
    this.slotGroups = slotGroups;
    this.tagStart = tagStart;
  }

  public GenerationKey(String name, int slotGroups) {
    this(name, slotGroups, slotGroups == 0 ? "" : "{" + KeyText.shortHash(name) + ".");
  }

  /** The hash tag of {@code group}: braces, a short hash of the generation key's name, the group. */
  String tag(int group) {
    return tagStart + group + "}";
  }

  /** What comes between a method's namespace and an entry's argument part: its group's hash tag, or nothing. */
  String tagFor(String argumentPart) {
    return slotGroups == 0 ? "" : tag(Math.floorMod(argumentPart.hashCode(), slotGroups));
  }

  /**
   * The copy of the generation key that an entry key belongs to: in the entry's hash slot. The
   * entry key's first {@code {...}} is its tag, as Redis Cluster reads it: neither the key prefix
   * nor a signature holds braces (see ConfigLoader), and the argument part comes after the tag.
   */
  public String forEntry(String entryKey) {
    if (slotGroups == 0) {
      return name;
    }
    int open = entryKey.indexOf('{');
    int close = entryKey.indexOf('}', open + 1);
    return name + entryKey.substring(open, close + 1);
  }

  /** Every copy of the generation key: what a drop of every entry writes. */
  public List<String> all() {
    if (slotGroups == 0) {
      return Immutable.listOf(name);
    }
    List<String> copies = new ArrayList<>(slotGroups);
    for (int group = 0; group < slotGroups; group++) {
      copies.add(name + tag(group));
    }
    return copies;
  }

  @Override
  public String toString() {
    return name;
  }
}
