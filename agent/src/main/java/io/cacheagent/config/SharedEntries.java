package io.cacheagent.config;

import io.cacheagent.jdk.Immutable;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Resolves each batch's {@code entriesOf} to the rule of the single-item method it names, once
 * every method of the file was read. The batch then reads and writes that method's entries: its
 * keys (the single method's key of the same arguments, one element in place of the collection), its
 * generation, the tombstones its evictions write, and so its {@code ttl}, {@code ttlJitter},
 * {@code cacheNulls} and {@code nullTtl}, which a tombstone must outlive.
 */
final class SharedEntries {

  private SharedEntries() {}

  /** {@code methods} with every entriesOf resolved; a batch whose entriesOf cannot be is reported and left out. */
  static List<MethodRule> resolve(List<MethodRule> methods, Problems problems, IntFunction<Node> nodeOfIndex) {
    List<MethodRule> resolved = new ArrayList<>(methods.size());
    for (MethodRule rule : methods) {
      if (!rule.isBatch() || rule.batch().entriesOf() == null) {
        resolved.add(rule);
        continue;
      }
      MethodRule single = named(rule.batch().entriesOf(), methods);
      String problem = problem(rule, single);
      if (problem != null) {
        problems.add(nodeOfIndex.apply(rule.index()), "methods[" + rule.index() + "].batch.entriesOf \"" + rule.batch().entriesOf()
            + "\" " + problem);
        continue;
      }
      MethodSettings settings = single.settings().forBatch();
      resolved.add(new MethodRule(rule.index(), rule.signature(), null, settings, rule.enabled(), Immutable.listOf(),
          rule.batch().sharing(single)));
    }
    return resolved;
  }

  private static MethodRule named(MethodSignature signature, List<MethodRule> methods) {
    return methods.stream().filter(rule -> rule.signature().toString().equals(signature.toString())).findFirst().orElse(null);
  }

  /**
   * Why the batch {@code rule} cannot use the entries of {@code single}, the method its entriesOf
   * names ({@code null}: none of the file's); {@code null} when it can.
   */
  private static String problem(MethodRule rule, MethodRule single) {
    if (single == null) {
      return "is not a method this file caches; list it under methods (with its evictOn), or remove entriesOf";
    }
    if (single.isBatch()) {
      return "is a batch method itself; name the method that reads one element";
    }
    List<String> batchTypes = rule.signature().hasParameterList() ? rule.signature().parameterTypes() : null;
    List<String> singleTypes = single.signature().parameterTypes();
    int argument = rule.batch().argument();
    if (batchTypes == null) {
      return "needs the batch method's parameter types to compare; list them in methods[" + rule.index() + "].method";
    }
    boolean same = batchTypes.size() == singleTypes.size();
    for (int i = 0; same && i < batchTypes.size(); i++) {
      same = i == argument || batchTypes.get(i).equals(singleTypes.get(i));
    }
    return same ? null : "takes (" + String.join(", ", singleTypes) + ") and " + rule.signature() + " takes ("
        + String.join(", ", batchTypes) + "): the single-item method must take the same arguments, with one element in"
        + " place of args[" + argument + "]";
  }
}
