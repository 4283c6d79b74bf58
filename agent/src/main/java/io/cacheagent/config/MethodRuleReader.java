package io.cacheagent.config;

import io.cacheagent.jdk.Immutable;
import io.cacheagent.key.KeyExpression;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;

/** Reads one entry of {@code methods}, with its {@code evictOn} list. */
final class MethodRuleReader {

  /** The keys a method's entry may have (MethodSettings.KEYS among them), in the order messages list them. */
  private static final List<String> METHOD_KEYS =
      Immutable.listOf("method", "ttl", "ttlJitter", "key", "batch", "cacheNulls", "nullTtl", "stampedeLock", "nearCache",
          "refreshAhead", "enabled", "evictOn");
  private static final List<String> EVICT_KEYS = Immutable.listOf("method", "key", "all", "when");

  /** Parameter types whose values are never stable keys: keying on them is a config error. */
  private static final Set<String> UNSTABLE_TYPES = Immutable.setOf(
      "java.lang.Object[]", "java.lang.Runnable", "java.lang.Thread", "java.util.Iterator",
      "java.util.concurrent.Callable", "java.util.concurrent.Future", "java.util.concurrent.CompletableFuture",
      "java.io.InputStream", "java.io.OutputStream", "java.io.Reader", "java.io.Writer",
      "java.sql.Connection", "java.sql.Statement", "java.sql.ResultSet", "javax.sql.DataSource",
      "java.net.Socket", "java.nio.channels.Channel");
  private static final List<String> UNSTABLE_PACKAGES = Immutable.listOf("java.util.function.", "java.util.stream.");

  /** What {@code batch} names: one argument, whole. */
  private static final Pattern BATCH_ARGUMENT = Pattern.compile("args\\[(\\d{1,3})]");

  private final YamlReader in;
  private final Problems problems;
  private final MethodSettings defaults;

  MethodRuleReader(YamlReader in, Problems problems, MethodSettings defaults) {
    this.in = in;
    this.problems = problems;
    this.defaults = defaults;
  }

  /** Returns the rule, or {@code null} when it has errors (already reported). */
  MethodRule read(Node node, int index) {
    String path = "methods[" + index + "]";
    Map<String, Node> entry = in.mapping(node, path, METHOD_KEYS);
    if (entry == null) {
      return null;
    }
    if (!entry.containsKey("method")) {
      problems.add(node, path + " has no method; add method: com.acme.Repo#findById(long)");
      return null;
    }
    MethodSignature signature = signature(entry.get("method"), path + ".method");
    MethodSettings settings = MethodSettings.read(in, entry, path, defaults);
    boolean enabled = !entry.containsKey("enabled") || in.bool(entry.get("enabled"), path + ".enabled", true);
    List<KeyExpression> key = null;
    if (entry.containsKey("key")) {
      key = ConfigLoader.keyExpressions(in, problems, entry.get("key"), path + ".key");
    }
    // With a bad signature or key, its shape is unknown: check what does not depend on it, and
    // report nothing that would only follow from the first error.
    boolean shapeKnown = signature != null && (key != null || !entry.containsKey("key"));
    if (shapeKnown) {
      checkKey(signature, key, entry.containsKey("key") ? entry.get("key") : entry.get("method"), path);
    }
    BatchRule batch = null;
    boolean badBatch = false;
    if (entry.containsKey("batch")) {
      batch = batch(entry.get("batch"), path, shapeKnown ? signature : null, key);
      badBatch = batch == null;
      for (String notForBatch : Immutable.listOf("nearCache", "stampedeLock", "refreshAhead")) {
        if (entry.containsKey(notForBatch)) {
          problems.add(entry.get(notForBatch), path + " has both batch and " + notForBatch + ", which a batch method does not"
              + " use; remove " + notForBatch);
          badBatch = true;
        }
      }
      if (batch != null && batch.entriesOf() != null) {
        for (String shared : SHARED_KEYS) {
          if (entry.containsKey(shared)) {
            problems.add(entry.get(shared), path + "." + shared + " comes from batch.entriesOf " + batch.entriesOf()
                + ", whose entries the batch reads and writes; set it there, or remove entriesOf");
            badBatch = true;
          }
        }
      }
      // Those that defaults give every method do not apply to it.
      settings = settings.forBatch();
    }
    List<EvictRule> evictOn = new ArrayList<>();
    if (entry.containsKey("evictOn")) {
      Node evictNode = entry.get("evictOn");
      if (!(evictNode instanceof SequenceNode)) {
        problems.add(evictNode, path + ".evictOn must be a list, each item starting with \"- method: \"");
      } else {
        SequenceNode list = (SequenceNode) evictNode;
        for (int j = 0; j < list.getValue().size(); j++) {
          EvictRule rule = readEvict(list.getValue().get(j), path, j, shapeKnown ? signature : null, key);
          if (rule != null) {
            evictOn.add(rule);
          }
        }
      }
    }
    if (signature == null) {
      return null;
    }
    if (badBatch) {
      return null;
    }
    return MethodRule.cache(signature).index(index).settings(settings).key(key).enabled(enabled).evictOn(evictOn).batch(batch)
        .build();
  }

  private static final List<String> BATCH_KEYS = Immutable.listOf("argument", "valueId", "entriesOf");
  /** What a batch with entriesOf takes from that method, and so may not set itself. */
  private static final List<String> SHARED_KEYS = Immutable.listOf("key", "ttl", "ttlJitter", "cacheNulls", "nullTtl", "evictOn");

  /**
   * What {@code batch: args[N]}, or {@code batch: {argument: args[N], valueId: id, entriesOf:
   * com.acme.Repo#findById(long)}}, says; {@code null} when it is bad (reported): not an argument
   * the method has, a valueId that is not a property chain, an entriesOf without parameter types,
   * or a {@code key} (if given) that does not name the argument, so that every element would share
   * one entry. Whether entriesOf names a method of the file is known once all are read (see
   * SharedEntries). Whether the argument is a collection and the method returns a
   * list or a map is known once its class is read.
   */
  private BatchRule batch(Node node, String path, MethodSignature signature, List<KeyExpression> key) {
    Node argumentNode = node;
    String valueId = null;
    MethodSignature entriesOf = null;
    if (node instanceof MappingNode) {
      Map<String, Node> batch = in.mapping(node, path + ".batch", BATCH_KEYS);
      if (batch == null) {
        return null;
      }
      argumentNode = batch.get("argument");
      if (argumentNode == null) {
        problems.add(node, path + ".batch has no argument; add argument: args[0], the one that holds the collection of ids");
        return null;
      }
      if (batch.containsKey("valueId")) {
        valueId = in.scalar(batch.get("valueId"), path + ".batch.valueId");
        if (valueId == null) {
          return null;
        }
        try {
          KeyExpression.parse("args[0]." + valueId.trim());
        } catch (IllegalArgumentException e) {
          problems.add(batch.get("valueId"), path + ".batch.valueId \"" + valueId + "\" is not a property of the values;"
              + " name the one that equals the element, e.g. valueId: id (getId(), id() or a field id) or valueId: key.id");
          return null;
        }
      }
      if (batch.containsKey("entriesOf")) {
        entriesOf = signature(batch.get("entriesOf"), path + ".batch.entriesOf");
        if (entriesOf == null) {
          return null;
        }
        if (!entriesOf.hasParameterList()) {
          problems.add(batch.get("entriesOf"), path + ".batch.entriesOf \"" + entriesOf + "\" lists no parameter types; name"
              + " the single-item method whole, e.g. " + entriesOf + "(long)");
          return null;
        }
      }
    }
    String argumentPath = node instanceof MappingNode ? path + ".batch.argument" : path + ".batch";
    String text = in.scalar(argumentNode, argumentPath);
    if (text == null) {
      return null;
    }
    Matcher m = BATCH_ARGUMENT.matcher(text.trim());
    if (!m.matches()) {
      problems.add(argumentNode, argumentPath + " \"" + text + "\" is not an argument; name the one that holds the collection"
          + " of ids, e.g. batch: args[0]");
      return null;
    }
    int argument = Integer.parseInt(m.group(1));
    List<String> params = signature == null ? null : signature.parameterTypes();
    if (params != null && argument >= params.size()) {
      problems.add(argumentNode, argumentPath + " \"" + text + "\" names argument " + argument + " but " + signature + " has "
          + parameters(params.size()) + "; use " + argumentRange(params.size()));
      return null;
    }
    if (key != null && key.stream().noneMatch(expression -> expression.argumentIndex() == argument)) {
      problems.add(argumentNode, path + ".key does not name args[" + argument + "], the batch argument: every element would"
          + " share one entry; key each element, e.g. key: args[" + argument + "] or args[" + argument + "].id");
      return null;
    }
    return BatchRule.of(argument, valueId == null ? null : valueId.trim(), entriesOf);
  }

  private MethodSignature signature(Node node, String path) {
    String text = in.scalar(node, path);
    if (text == null) {
      return null;
    }
    try {
      return MethodSignature.parse(text);
    } catch (IllegalArgumentException e) {
      problems.add(node, path + " \"" + text + "\" " + e.getMessage() + "; use " + example(text));
      return null;
    }
  }

  /** Suggests the signature the operator probably meant, e.g. com.acme.Quotes#quote for com.acme.Quotes.quote( . */
  private static String example(String text) {
    String head = text.trim();
    int paren = head.indexOf('(');
    if (paren >= 0) {
      head = head.substring(0, paren);
    }
    String className;
    String method;
    int hash = head.indexOf('#');
    int dot = head.lastIndexOf('.');
    if (hash > 0 && hash < head.length() - 1) {
      className = head.substring(0, hash);
      method = head.substring(hash + 1);
    } else if (hash < 0 && dot > 0 && dot < head.length() - 1) {
      className = head.substring(0, dot);
      method = head.substring(dot + 1);
    } else {
      className = "com.acme.Repository";
      method = "find";
    }
    return className + "#" + method + " or " + className + "#" + method + "(java.lang.String)";
  }

  private void checkKey(MethodSignature signature, List<KeyExpression> key, Node node, String path) {
    List<String> params = signature.parameterTypes();
    if (params == null) {
      return;
    }
    if (key == null) {
      for (int i = 0; i < params.size(); i++) {
        checkStable(params.get(i), i, node, path + ".method");
      }
      return;
    }
    for (KeyExpression expression : key) {
      if (expression.startsAtInstance()) {
        continue; // whether the method has an instance is known once its class is read
      }
      if (expression.argumentIndex() >= params.size()) {
        problems.add(node, path + ".key \"" + expression + "\" names argument " + expression.argumentIndex()
            + " but " + signature + " has " + parameters(params.size()) + "; use " + argumentRange(params.size()));
      } else if (expression.isBareArgument()) {
        checkStable(params.get(expression.argumentIndex()), expression.argumentIndex(), node, path + ".key");
      }
    }
  }

  private static String parameters(int count) {
    return count + (count == 1 ? " parameter" : " parameters");
  }

  private static String argumentRange(int count) {
    return count <= 1 ? "args[0]" : "args[0] to args[" + (count - 1) + "]";
  }

  private void checkStable(String type, int index, Node node, String path) {
    boolean unstable = UNSTABLE_TYPES.contains(type) || UNSTABLE_PACKAGES.stream().anyMatch(type::startsWith);
    if (unstable) {
      problems.add(node, path + " keys on args[" + index + "] of type " + type
          + ", which has no stable value; name the arguments or properties that identify the result, e.g. key: args[0].id");
    }
  }

  private EvictRule readEvict(Node node, String methodPath, int j, MethodSignature cached, List<KeyExpression> cachedKey) {
    String path = methodPath + ".evictOn[" + j + "]";
    Map<String, Node> entry = in.mapping(node, path, EVICT_KEYS);
    if (entry == null) {
      return null;
    }
    if (!entry.containsKey("method")) {
      problems.add(node, path + " has no method; add method: com.acme.Repo#save(com.acme.Product)");
      return null;
    }
    MethodSignature write = signature(entry.get("method"), path + ".method");
    Boolean allValue = entry.containsKey("all") ? in.bool(entry.get("all"), path + ".all") : Boolean.FALSE;
    boolean all = Boolean.TRUE.equals(allValue);
    boolean before = false;
    if (entry.containsKey("when")) {
      String when = in.scalar(entry.get("when"), path + ".when");
      if ("before".equals(when)) {
        before = true;
      } else if (when != null && !"after".equals(when)) {
        problems.add(entry.get("when"), path + ".when \"" + when + "\" is not a moment; use after (the default) or before");
      }
    }
    List<KeyExpression> key = null;
    if (entry.containsKey("key")) {
      if (all) {
        problems.add(entry.get("key"), path + " has both key and all: true; give key to evict one entry, or all: true to drop every entry");
        return null;
      }
      key = ConfigLoader.keyExpressions(in, problems, entry.get("key"), path + ".key");
      if (key == null) {
        return null;
      }
    }
    if (write == null || allValue == null || cached == null) {
      return null; // cached == null: the cached method's key shape is unknown (already reported)
    }
    if (!all) {
      if (!cached.hasParameterList()) {
        problems.add(node, path + " evicts by key, but " + methodPath + ".method \"" + cached
            + "\" lists no parameter types, so its keys are per overload; list them, e.g. " + cached + "(long), or use all: true");
        return null;
      }
      int cachedParts = cachedKey != null ? cachedKey.size() : cached.parameterTypes().size();
      Integer evictParts = key != null ? Integer.valueOf(key.size())
          : write.hasParameterList() ? Integer.valueOf(write.parameterTypes().size()) : null;
      if (evictParts != null && evictParts == 0) {
        problems.add(node, path + " evicts by key, but " + write + " has no arguments to make one; to drop every entry of "
            + methodPath + " when it runs, add all: true");
        return null;
      }
      if (evictParts != null && evictParts != cachedParts) {
        problems.add(entry.containsKey("key") ? entry.get("key") : node, path + (key != null ? ".key" : "")
            + " makes " + evictParts + " key " + (evictParts == 1 ? "part" : "parts") + " but " + methodPath
            + " is keyed by " + cachedParts + ", so it can never match; give one expression per key part of the cached method, e.g. key: args[0].id");
        return null;
      }
      if (key != null && write.hasParameterList()) {
        for (KeyExpression expression : key) {
          if (!expression.startsAtInstance() && expression.argumentIndex() >= write.parameterTypes().size()) {
            problems.add(entry.get("key"), path + ".key \"" + expression + "\" names argument " + expression.argumentIndex()
                + " but " + write + " has " + parameters(write.parameterTypes().size()) + "; use " + argumentRange(write.parameterTypes().size()));
            return null;
          }
        }
      }
    }
    return new EvictRule(write, key, all, before);
  }
}
