package io.cacheagent.config;

import io.cacheagent.codec.EntrySigning;
import io.cacheagent.jdk.Immutable;
import io.cacheagent.key.ArgumentHashing;
import io.cacheagent.key.KeyExpression;
import io.cacheagent.key.KeyNames;
import io.cacheagent.secret.Secret;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads {@code cache-agent.yaml} into an {@link AgentConfig}, or reports every problem at once.
 *
 * <p>The YAML is composed into a node tree (never constructed into objects, so no tag can
 * instantiate a class) and walked by hand, which keeps the line and column of every value for the
 * messages. Unknown keys are errors: a misspelt key silently ignored is a cache that never works.
 */
public final class ConfigLoader {

  /** Environment variable that overrides {@code redis.uri}. */
  public static final String REDIS_URI_ENV = "CACHE_AGENT_REDIS_URI";

  /** Environment variable that overrides {@code redis.keyPrefix} (e.g. one prefix per environment). */
  public static final String KEY_PREFIX_ENV = "CACHE_AGENT_KEY_PREFIX";

  /** Environment variable that keys the hash of argument values in key names ({@code redis.hashKeys}). */
  public static final String KEY_HASH_SECRET_ENV = "CACHE_AGENT_KEY_HASH_SECRET";

  /** Environment variable that holds the key entries are signed with (see EntrySigning). */
  public static final String SIGNING_KEY_ENV = "CACHE_AGENT_SIGNING_KEY";

  /** Environment variable that holds the signing key being replaced, still accepted for reading. */
  public static final String PREVIOUS_SIGNING_KEY_ENV = "CACHE_AGENT_SIGNING_KEY_PREVIOUS";

  private static final List<String> TOP_KEYS = Immutable.listOf("redis", "defaults", "serialization", "metrics", "methods");
  private static final List<String> REDIS_KEYS = Immutable.listOf("uri", "cluster", "readFrom", "commandTimeout", "keyPrefix", "hashKeys", "tls");
  private static final List<String> TLS_KEYS = Immutable.listOf("caCert", "clientCert", "clientKey");
  private static final List<String> SERIALIZATION_KEYS = Immutable.listOf("allow");
  private static final List<String> METRICS_KEYS = Immutable.listOf("host", "port", "statsInterval");

  private ConfigLoader() {}

  /** Loads a file; {@code env} supplies {@value #REDIS_URI_ENV} and {@value #KEY_PREFIX_ENV}. */
  public static AgentConfig load(Path file, Map<String, String> env) throws ConfigException {
    return parse(file.getFileName().toString(), read(file), env);
  }

  /** The text of a configuration file, which must be UTF-8. */
  public static String read(Path file) throws ConfigException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new ConfigException(Immutable.listOf(file + ": cannot read the configuration (" + e + ")"));
    }
    return Utf8Text.decode(file, bytes);
  }

  /** Parses YAML text; {@code fileName} prefixes every message. */
  public static AgentConfig parse(String fileName, String yaml, Map<String, String> env) throws ConfigException {
    Problems problems = new Problems(fileName);
    Node root;
    try {
      LoaderOptions options = new LoaderOptions();
      options.setAllowRecursiveKeys(false);
      options.setMaxAliasesForCollections(10);
      root = new Yaml(options).compose(new java.io.StringReader(yaml));
    } catch (MarkedYAMLException e) {
      problems.add(e.getProblemMark(), "YAML syntax: " + e.getProblem() + flowStyleHint(yaml, e));
      throw problems.toException();
    } catch (YAMLException e) {
      problems.addWithoutPosition("YAML syntax: " + e.getMessage());
      throw problems.toException();
    }
    if (root == null) {
      problems.addWithoutPosition("the file is empty; it needs at least a methods: list");
      throw problems.toException();
    }
    YamlReader in = new YamlReader(problems);
    Map<String, Node> top = in.mapping(root, "the top level", TOP_KEYS);
    if (top == null) {
      throw problems.toException();
    }

    RedisSettings redis = null;
    String keyPrefix = AgentConfig.DEFAULT_KEY_PREFIX;
    Map<String, Node> redisSection = top.containsKey("redis") ? in.mapping(top.get("redis"), "redis", REDIS_KEYS) : null;
    String uri = env.get(REDIS_URI_ENV);
    if (uri != null && !uri.trim().isEmpty()) {
      uri = in.environmentRedisUri(uri, REDIS_URI_ENV);
    }
    Duration commandTimeout = RedisSettings.DEFAULT_COMMAND_TIMEOUT;
    boolean hashKeys = false;
    TlsFiles tls = null;
    List<String> cluster = Immutable.listOf();
    RedisSettings.ReadFrom readFrom = RedisSettings.ReadFrom.MASTER;
    if (redisSection != null) {
      if (redisSection.containsKey("uri") && redisSection.containsKey("cluster") && (uri == null || uri.trim().isEmpty())) {
        problems.add(redisSection.get("cluster"), "redis.uri and redis.cluster are both set; use uri for one server"
            + " (or Sentinel), cluster for the seed nodes of a Redis Cluster");
      }
      if (redisSection.containsKey("uri") && (uri == null || uri.trim().isEmpty())) {
        uri = in.redisUri(redisSection.get("uri"), "redis.uri");
      }
      if (redisSection.containsKey("cluster") && (uri == null || uri.trim().isEmpty())) { // the environment's URI wins
        cluster = in.clusterSeeds(redisSection.get("cluster"), "redis.cluster");
        uri = cluster.isEmpty() ? null : cluster.get(0);
      }
      if (redisSection.containsKey("readFrom")) {
        readFrom = in.readFrom(redisSection.get("readFrom"), "redis.readFrom");
        if (!redisSection.containsKey("cluster")) {
          problems.add(redisSection.get("readFrom"), "redis.readFrom applies to a Redis Cluster (redis.cluster) only;"
              + " one server answers every read itself");
        }
      }
      if (redisSection.containsKey("commandTimeout")) {
        commandTimeout = in.positiveDuration(redisSection.get("commandTimeout"), "redis.commandTimeout", commandTimeout);
      }
      if (redisSection.containsKey("keyPrefix")) {
        keyPrefix = in.keyPrefix(redisSection.get("keyPrefix"), "redis.keyPrefix");
      }
      if (redisSection.containsKey("tls")) {
        tls = readTls(in, problems, redisSection.get("tls"));
      }
      if (redisSection.containsKey("hashKeys")) {
        hashKeys = in.bool(redisSection.get("hashKeys"), "redis.hashKeys", false);
      }
    }
    if (tls != null && (uri == null || !(uri.trim().startsWith("rediss://") || uri.trim().startsWith("rediss-sentinel://")))) {
      problems.add(redisSection.get("tls"), "redis.tls is set, but the Redis URI is "
          + (uri == null ? "missing" : "not rediss:// (TLS)") + "; use rediss://host:6380/0 (or rediss-sentinel://) with it,"
          + " or leave redis.tls out");
    }
    if (uri != null && !uri.trim().isEmpty()) {
      redis = new RedisSettings(uri.trim(), commandTimeout, tls, cluster, readFrom);
    }
    String envPrefix = env.get(KEY_PREFIX_ENV);
    if (envPrefix != null && !envPrefix.trim().isEmpty()) {
      keyPrefix = envPrefix.trim();
    }
    if (redis != null && redis.isCluster() && (keyPrefix.indexOf('{') >= 0 || keyPrefix.indexOf('}') >= 0)) {
      String problem = " \"" + keyPrefix + "\" holds a brace; on a Redis Cluster the agent places keys in hash slots with {...}"
          + " tags of its own: use a prefix without { and }";
      if (envPrefix != null && !envPrefix.trim().isEmpty()) {
        problems.addWithoutPosition("environment variable " + KEY_PREFIX_ENV + problem);
      } else {
        problems.add(redisSection.get("keyPrefix"), "redis.keyPrefix" + problem);
      }
    }
    ArgumentHashing hashing = argumentHashing(hashKeys, env.get(KEY_HASH_SECRET_ENV), problems);
    EntrySigning signing = signing(env.get(SIGNING_KEY_ENV), env.get(PREVIOUS_SIGNING_KEY_ENV), problems);

    MethodSettings defaults = top.containsKey("defaults") ? readDefaults(in, top.get("defaults")) : MethodSettings.BUILT_IN;
    List<String> allow = Immutable.listOf();
    if (top.containsKey("serialization")) {
      Map<String, Node> serialization = in.mapping(top.get("serialization"), "serialization", SERIALIZATION_KEYS);
      if (serialization != null && serialization.containsKey("allow")) {
        allow = in.qualifiedNames(serialization.get("allow"), "serialization.allow");
      }
    }

    MetricsSettings metrics = top.containsKey("metrics") ? readMetrics(in, top.get("metrics")) : MetricsSettings.NONE;

    List<MethodRule> methods = new ArrayList<>();
    Node methodsNode = top.get("methods");
    if (methodsNode == null) {
      problems.add(root, "methods is missing; list the methods to cache, e.g. methods: [{method: com.acme.Repo#findById(long)}]");
    } else if (!(methodsNode instanceof SequenceNode)) {
      problems.add(methodsNode, "methods must be a list of methods to cache, each starting with \"- method: \"");
    } else {
      SequenceNode sequence = (SequenceNode) methodsNode;
      MethodRuleReader rules = new MethodRuleReader(in, problems, defaults);
      for (int i = 0; i < sequence.getValue().size(); i++) {
        MethodRule rule = rules.read(sequence.getValue().get(i), i);
        if (rule == null) {
          continue;
        }
        MethodRule earlier = overlapping(methods, rule.signature());
        if (redis != null && rule.ttl().compareTo(redis.commandTimeout()) <= 0) {
          // A result is stored only if it came within ttl less commandTimeout of its read (see CacheRuntime).
          problems.add(sequence.getValue().get(i), "methods[" + i + "].ttl " + Durations.format(rule.ttl())
              + " is not longer than redis.commandTimeout " + Durations.format(redis.commandTimeout())
              + ": no result could ever be stored; use a ttl well above the command timeout");
        } else if (earlier != null) {
          problems.add(sequence.getValue().get(i), "methods[" + i + "].method \"" + rule.signature()
              + "\" names a method that methods[" + earlier.index() + "] (\"" + earlier.signature()
              + "\") already caches; list each method once");
        } else {
          methods.add(rule);
        }
      }
    }
    if (methodsNode instanceof SequenceNode) {
      SequenceNode sequence = (SequenceNode) methodsNode;
      methods = SharedEntries.resolve(methods, problems, index -> sequence.getValue().get(index));
    }
    if (!problems.isEmpty()) {
      throw problems.toException();
    }
    KeyNames keyNames = new KeyNames(keyPrefix, hashing);
    if (redis != null && redis.isCluster()) {
      keyNames = keyNames.onCluster();
    }
    return new AgentConfig(fileName, redis, keyNames, signing, allow, metrics, Immutable.listCopy(methods));
  }

  /**
   * How argument values appear in key names: readable unless {@code redis.hashKeys}; hashed with
   * the secret of {@value #KEY_HASH_SECRET_ENV} when it is set, else with plain SHA-256.
   */
  private static ArgumentHashing argumentHashing(boolean hashKeys, String secret, Problems problems) {
    if (!hashKeys) {
      return ArgumentHashing.READABLE;
    }
    if (secret == null || secret.isEmpty()) {
      return ArgumentHashing.SHA_256;
    }
    Secret key = secret(KEY_HASH_SECRET_ENV, secret, problems);
    return key == null ? ArgumentHashing.READABLE : ArgumentHashing.keyed(key);
  }

  /** Signing as the environment sets it: off unless {@value #SIGNING_KEY_ENV} holds a key. */
  private static EntrySigning signing(String current, String previous, Problems problems) {
    boolean hasCurrent = current != null && !current.isEmpty();
    boolean hasPrevious = previous != null && !previous.isEmpty();
    if (!hasCurrent) {
      if (hasPrevious) {
        problems.addWithoutPosition(PREVIOUS_SIGNING_KEY_ENV + " is set but " + SIGNING_KEY_ENV + " is not; while rotating,"
            + " set the new key in " + SIGNING_KEY_ENV + " and the old one in " + PREVIOUS_SIGNING_KEY_ENV);
      }
      return EntrySigning.OFF;
    }
    Secret currentKey = secret(SIGNING_KEY_ENV, current, problems);
    if (currentKey == null || !hasPrevious) {
      return currentKey == null ? EntrySigning.OFF : EntrySigning.with(currentKey, null);
    }
    Secret previousKey = secret(PREVIOUS_SIGNING_KEY_ENV, previous, problems);
    return previousKey == null ? EntrySigning.OFF : EntrySigning.with(currentKey, previousKey);
  }

  /** The key in environment variable {@code name}; {@code null}, with a problem naming the variable (never the value), when too short. */
  private static Secret secret(String name, String value, Problems problems) {
    try {
      return Secret.fromEnvironment(name, value);
    } catch (IllegalArgumentException e) {
      problems.addWithoutPosition(e.getMessage());
      return null;
    }
  }

  /** The {@code redis.tls} section; a client certificate needs its key, and the key its certificate. */
  private static TlsFiles readTls(YamlReader in, Problems problems, Node node) {
    Map<String, Node> tls = in.mapping(node, "redis.tls", TLS_KEYS);
    if (tls == null) {
      return null;
    }
    java.nio.file.Path caCert = tls.containsKey("caCert") ? in.pemFile(tls.get("caCert"), "redis.tls.caCert", false) : null;
    java.nio.file.Path clientCert =
        tls.containsKey("clientCert") ? in.pemFile(tls.get("clientCert"), "redis.tls.clientCert", false) : null;
    java.nio.file.Path clientKey = tls.containsKey("clientKey") ? in.pemFile(tls.get("clientKey"), "redis.tls.clientKey", true) : null;
    if (tls.containsKey("clientCert") != tls.containsKey("clientKey")) {
      problems.add(node, "redis.tls needs clientCert and clientKey together (the certificate the agent shows and its private key)");
    }
    return new TlsFiles(caCert, clientCert, clientKey);
  }

  private static MetricsSettings readMetrics(YamlReader in, Node node) {
    Map<String, Node> metrics = in.mapping(node, "metrics", METRICS_KEYS);
    if (metrics == null) {
      return MetricsSettings.NONE;
    }
    String host = metrics.containsKey("host") ? in.hostName(metrics.get("host"), "metrics.host") : MetricsSettings.DEFAULT_HOST;
    int port = metrics.containsKey("port") ? in.listenPort(metrics.get("port"), "metrics.port") : MetricsSettings.NO_PORT;
    Duration interval = metrics.containsKey("statsInterval")
        ? in.positiveDuration(metrics.get("statsInterval"), "metrics.statsInterval", null) : null;
    return new MetricsSettings(host, port, interval);
  }

  private static MethodSettings readDefaults(YamlReader in, Node node) {
    Map<String, Node> defaults = in.mapping(node, "defaults", MethodSettings.KEYS);
    return defaults == null ? MethodSettings.BUILT_IN : MethodSettings.read(in, defaults, "defaults", MethodSettings.BUILT_IN);
  }

  /** The rule that already covers a method of {@code signature}, if any: same method, or one of them names every overload. */
  private static MethodRule overlapping(List<MethodRule> rules, MethodSignature signature) {
    for (MethodRule rule : rules) {
      MethodSignature other = rule.signature();
      if (other.className().equals(signature.className()) && other.methodName().equals(signature.methodName())
          && (!other.hasParameterList() || !signature.hasParameterList() || other.parameterTypes().equals(signature.parameterTypes()))) {
        return rule;
      }
    }
    return null;
  }

  /** The commonest syntax error: {@code key: [args[0], args[1]]} reads as nested lists. */
  private static String flowStyleHint(String yaml, MarkedYAMLException e) {
    String[] lines = yaml.split("\\R", -1);
    int line = e.getProblemMark() == null ? -1 : e.getProblemMark().getLine();
    boolean flowKey = line >= 0 && line < lines.length && lines[line].matches(".*\\[\\s*args\\[.*");
    return flowKey ? "; in flow style, quote key expressions: [\"args[0]\", \"args[1]\"]" : "";
  }

  /** Parses a key: a single expression or a list of them; {@code null} when absent or invalid. */
  static List<KeyExpression> keyExpressions(YamlReader in, Problems problems, Node node, String path) {
    List<Node> items = node instanceof SequenceNode ? ((SequenceNode) node).getValue() : Immutable.listOf(node);
    if (items.isEmpty()) {
      problems.add(node, path + " is an empty list; " + KeyExpression.ACCEPTED + ", or leave key out to use all arguments");
      return null;
    }
    List<KeyExpression> expressions = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      String itemPath = node instanceof SequenceNode ? path + "[" + i + "]" : path;
      String text = in.scalar(items.get(i), itemPath);
      if (text == null) {
        return null;
      }
      try {
        expressions.add(KeyExpression.parse(text));
      } catch (IllegalArgumentException e) {
        problems.add(items.get(i), itemPath + " \"" + text + "\" " + e.getMessage() + "; " + KeyExpression.ACCEPTED);
        return null;
      }
    }
    return Immutable.listCopy(expressions);
  }
}
