package io.cacheagent.config;

import io.cacheagent.codec.ClassAllowList;
import io.cacheagent.jdk.Immutable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/** Typed reads from a composed YAML tree; every bad value becomes a problem with its position. */
final class YamlReader {

  private static final Pattern PERCENT = Pattern.compile("(\\d{1,3}(?:\\.\\d{1,3})?)\\s*%");
  private static final Pattern QUALIFIED_NAME =
      Pattern.compile("[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*(\\.[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*)*");

  private final Problems problems;

  YamlReader(Problems problems) {
    this.problems = problems;
  }

  /** A mapping with only allowed keys, each once; {@code null} if the node is not a mapping. */
  Map<String, Node> mapping(Node node, String path, List<String> allowed) {
    if (!(node instanceof MappingNode)) {
      problems.add(node, path + " must be a mapping of " + String.join(", ", allowed));
      return null;
    }
    MappingNode mapping = (MappingNode) node;
    Map<String, Node> values = new LinkedHashMap<>();
    String where = path.equals("the top level") ? "at the top level" : "in " + path;
    for (NodeTuple tuple : mapping.getValue()) {
      if (!(tuple.getKeyNode() instanceof ScalarNode)) {
        problems.add(tuple.getKeyNode(), "a key " + where + " is not a plain name; allowed: " + String.join(", ", allowed));
        continue;
      }
      ScalarNode keyNode = (ScalarNode) tuple.getKeyNode();
      String key = keyNode.getValue();
      if (!allowed.contains(key)) {
        problems.add(keyNode, "unknown key \"" + key + "\" " + where + "; allowed: " + String.join(", ", allowed));
      } else if (values.containsKey(key)) {
        problems.add(keyNode, "key \"" + key + "\" appears twice " + where + "; keep one");
      } else {
        values.put(key, tuple.getValueNode());
      }
    }
    return values;
  }

  /** A single value; {@code null} (with a problem) for a list or mapping. */
  String scalar(Node node, String path) {
    if (node instanceof ScalarNode) {
      return ((ScalarNode) node).getValue();
    }
    problems.add(node, path + " must be a single value, not a " + (node instanceof MappingNode ? "mapping" : "list"));
    return null;
  }

  Duration positiveDuration(Node node, String path, Duration fallback) {
    String text = scalar(node, path);
    if (text == null) {
      return fallback;
    }
    Duration duration = Durations.parse(text);
    if (duration == null) {
      problems.add(node, path + " \"" + text + "\" is not a duration; " + Durations.ACCEPTED);
      return fallback;
    }
    if (duration.isZero() || duration.isNegative()) {
      problems.add(node, path + " \"" + text + "\" must be longer than zero; " + Durations.ACCEPTED);
      return fallback;
    }
    if (duration.compareTo(Durations.LONGEST) > 0) {
      String longest = Durations.format(Durations.LONGEST);
      problems.add(node, path + " \"" + text + "\" is longer than " + longest + " (100 years), the longest accepted;"
          + " for entries that should not expire, " + longest + " will do");
      return fallback;
    }
    return duration;
  }

  /** A percentage from 0% to {@code max} (a fraction), e.g. {@code 10%}, returned as a fraction. */
  double percentage(Node node, String path, double max, String example, double fallback) {
    String text = scalar(node, path);
    if (text == null) {
      return fallback;
    }
    String accepted = "use a percentage from 0% (off) to " + Math.round(max * 100) + "%, e.g. " + example;
    Matcher m = PERCENT.matcher(text.trim());
    if (!m.matches()) {
      problems.add(node, path + " \"" + text + "\" is not a percentage; " + accepted);
      return fallback;
    }
    double fraction = Double.parseDouble(m.group(1)) / 100;
    if (fraction > max) {
      problems.add(node, path + " \"" + text + "\" is too large; " + accepted);
      return fallback;
    }
    return fraction;
  }

  /** A list of Java package or class names, e.g. {@code [com.acme.model, java.time.Instant]}. */
  List<String> qualifiedNames(Node node, String path) {
    if (!(node instanceof SequenceNode)) {
      problems.add(node, path + " must be a list of package or class names, e.g. [com.acme.model]");
      return Immutable.listOf();
    }
    SequenceNode list = (SequenceNode) node;
    List<String> names = new ArrayList<>();
    for (int i = 0; i < list.getValue().size(); i++) {
      Node item = list.getValue().get(i);
      String text = scalar(item, path + "[" + i + "]");
      if (text == null) {
        continue;
      }
      String name = text.trim();
      String last = name.substring(name.lastIndexOf('.') + 1);
      boolean isPackage = last.isEmpty() || !Character.isUpperCase(last.charAt(0));
      if (!QUALIFIED_NAME.matcher(name).matches()) {
        problems.add(item, path + "[" + i + "] \"" + text + "\" is not a package or class name; use e.g. com.acme.model or com.acme.model.Price");
      } else if (isPackage && (name.indexOf('.') < 0 || ClassAllowList.isJdkPackage(name))) {
        problems.add(item, path + "[" + i + "] \"" + text + "\" is too wide: bytes planted in Redis could name almost any class in it;"
            + " list your own packages (e.g. com.acme.money) or single classes (e.g. java.util.Currency)");
      } else {
        names.add(text.trim());
      }
    }
    return Immutable.listCopy(names);
  }

  /** A TCP port from 1 to 65535; 0 (with a problem) otherwise. */
  /** A port to listen on: 1 to 65535, or 0 for any free one. */
  int listenPort(Node node, String path) {
    String text = scalar(node, path);
    if (text == null) {
      return 0;
    }
    try {
      int port = Integer.parseInt(text.trim());
      if (port >= 0 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    problems.add(node, path + " \"" + text + "\" is not a port; use a number from 1 to 65535, e.g. 9404, or 0 for any free port");
    return 0;
  }

  /** A host name or IP address, e.g. 127.0.0.1 or 0.0.0.0; no spaces, no scheme, no port. */
  String hostName(Node node, String path) {
    String text = scalar(node, path);
    if (text == null) {
      return MetricsSettings.DEFAULT_HOST;
    }
    String host = text.trim();
    if (host.isEmpty() || !host.matches("[A-Za-z0-9.:\\-\\[\\]%]+")) {
      problems.add(node, path + " \"" + text + "\" is not a host name or address; use 127.0.0.1 (this host only),"
          + " 0.0.0.0 (every interface) or the address of one interface");
      return MetricsSettings.DEFAULT_HOST;
    }
    return host;
  }

  /** A whole number from {@code min} to {@code max}. */
  int boundedInt(Node node, String path, int min, int max, int fallback) {
    String text = scalar(node, path);
    if (text == null) {
      return fallback;
    }
    String accepted = "use a whole number from " + min + " to " + max;
    try {
      int value = Integer.parseInt(text.trim().replace("_", ""));
      if (value >= min && value <= max) {
        return value;
      }
      problems.add(node, path + " " + text + " is out of range; " + accepted);
    } catch (NumberFormatException e) {
      problems.add(node, path + " \"" + text + "\" is not a whole number; " + accepted);
    }
    return fallback;
  }

  boolean bool(Node node, String path, boolean fallback) {
    Boolean value = bool(node, path);
    return value != null ? value : fallback;
  }

  /** {@code true} or {@code false}; {@code null} (with a problem) for anything else. */
  Boolean bool(Node node, String path) {
    String text = scalar(node, path);
    if (text == null) {
      return null;
    }
    switch (text) {
      case "true":
        return Boolean.TRUE;
      case "false":
        return Boolean.FALSE;
      default:
        problems.add(node, path + " \"" + text + "\" is not a boolean; use true or false");
        return null;
    }
  }

  String redisUri(Node node, String path) {
    String text = scalar(node, path);
    if (text == null) {
      return null;
    }
    String problem = redisUriProblem(text.trim(), path);
    if (problem != null) {
      problems.add(node, problem);
      return null;
    }
    return text.trim();
  }

  /**
   * The seed nodes of {@code redis.cluster}: a non-empty list of redis:// or rediss:// URIs, all of
   * one scheme (a cluster's nodes speak TLS or do not).
   */
  List<String> clusterSeeds(Node node, String path) {
    if (!(node instanceof SequenceNode) || ((SequenceNode) node).getValue().isEmpty()) {
      problems.add(node, path + " must be a list of the cluster's nodes, e.g. [redis://10.0.0.1:7000, redis://10.0.0.2:7000];"
          + " one is enough to find the others, more let the agent start while one is down");
      return Immutable.listOf();
    }
    SequenceNode list = (SequenceNode) node;
    List<String> seeds = new ArrayList<>();
    for (int i = 0; i < list.getValue().size(); i++) {
      Node item = list.getValue().get(i);
      String seed = redisUri(item, path + "[" + i + "]");
      if (seed != null && seed.contains("-sentinel://")) {
        problems.add(item, path + "[" + i + "] is a Sentinel URI; a cluster's seeds are its nodes (redis://host:7000);"
            + " for Sentinel, use uri: redis-sentinel://host1:26379,host2:26379/0#mymaster instead of cluster");
      } else if (seed != null && seed.startsWith("redis-socket://")) {
        problems.add(item, path + "[" + i + "] is a Unix socket; a cluster's nodes are reached over TCP: use redis://host:7000");
      } else if (seed != null && !seeds.isEmpty() && seed.startsWith("rediss://") != seeds.get(0).startsWith("rediss://")) {
        problems.add(item, path + "[" + i + "] mixes rediss:// (TLS) and redis://; a cluster's nodes all speak TLS or none does");
      } else if (seed != null) {
        seeds.add(seed);
      }
    }
    return Immutable.listCopy(seeds);
  }

  /** {@code redis.readFrom}: {@code master} or {@code replicaPreferred}. */
  RedisSettings.ReadFrom readFrom(Node node, String path) {
    String text = scalar(node, path);
    for (RedisSettings.ReadFrom readFrom : RedisSettings.ReadFrom.values()) {
      if (readFrom.yamlName().equals(text == null ? null : text.trim())) {
        return readFrom;
      }
    }
    if (text != null) {
      problems.add(node, path + " \"" + text + "\" is not known; use master (the default: every read sees every confirmed eviction)"
          + " or replicaPreferred (reads spread to replicas, which may lag)");
    }
    return RedisSettings.ReadFrom.MASTER;
  }

  /** Checks a URI from the environment, which has no position in the file. */
  String environmentRedisUri(String uri, String variable) {
    String problem = redisUriProblem(uri.trim(), "environment variable " + variable);
    if (problem != null) {
      problems.addWithoutPosition(problem);
      return null;
    }
    return uri.trim();
  }

  /** What is wrong with a Redis URI, with any password masked, or {@code null} when it is fine. */
  private static String redisUriProblem(String uri, String path) {
    RedisSettings masked = new RedisSettings(uri, Duration.ZERO);
    boolean sentinel = uri.startsWith("redis-sentinel://") || uri.startsWith("rediss-sentinel://");
    if (!(uri.startsWith("redis://") || uri.startsWith("rediss://") || uri.startsWith("redis-socket://") || sentinel)) {
      return path + " \"" + masked.maskedUri()
          + "\" is not a Redis URI; use redis://host:6379/0, rediss://user:password@host:6379 for TLS, or leave redis out for the in-process store";
    }
    if (sentinel && uri.indexOf('#') < 0) {
      return path + " \"" + masked.maskedUri() + "\" names no master; end it with the name the sentinels know it by:"
          + " redis-sentinel://host1:26379,host2:26379/0#mymaster";
    }
    if (!uri.startsWith("redis-socket://") && !sentinel && !hasHostAndPort(uri)) {
      return path + " \"" + masked.maskedUri() + "\" has no valid host and port; use redis://host:6379/0";
    }
    try {
      io.lettuce.core.RedisURI.create(uri);
      return null;
    } catch (RuntimeException e) {
      // The parser's message may quote the whole URI, password included.
      String detail = masked.maskSecretIn(String.valueOf(e.getMessage()));
      return path + " \"" + masked.maskedUri() + "\" is not a valid Redis URI (" + detail + "); use redis://host:6379/0";
    }
  }

  /** Whether a redis:// or rediss:// URI names a host (and, if it has a port, a number). */
  private static boolean hasHostAndPort(String uri) {
    try {
      java.net.URI parsed = new java.net.URI(uri);
      return parsed.getHost() != null && !parsed.getHost().isEmpty(); // a port out of range: Lettuce says so
    } catch (java.net.URISyntaxException e) {
      return true; // Lettuce's own parser gives the better message
    }
  }

  /**
   * The absolute path of a readable PEM file holding a certificate, or with {@code privateKey} an
   * unencrypted PKCS#8 private key, which is what the TLS library reads; {@code null} (with a
   * problem) otherwise.
   */
  java.nio.file.Path pemFile(Node node, String path, boolean privateKey) {
    String text = scalar(node, path);
    if (text == null) {
      return null;
    }
    java.nio.file.Path file = java.nio.file.Paths.get(text.trim());
    if (!file.isAbsolute()) {
      problems.add(node, path + " \"" + text + "\" is not an absolute path; give the whole path of the PEM file");
      return null;
    }
    String pem;
    try {
      // strict, as Files.readString is: a file that is not text fails here (MalformedInputException)
      pem = java.nio.charset.StandardCharsets.US_ASCII.newDecoder()
          .decode(java.nio.ByteBuffer.wrap(java.nio.file.Files.readAllBytes(file))).toString();
    } catch (java.io.IOException | RuntimeException e) {
      problems.add(node, path + " \"" + text + "\" cannot be read (" + e.getClass().getSimpleName() + "); give a PEM file this JVM's user can read");
      return null;
    }
    String problem = privateKey ? privateKeyProblem(pem) : pem.contains("-----BEGIN CERTIFICATE-----") ? null
        : "holds no PEM certificate (-----BEGIN CERTIFICATE-----)";
    if (problem != null) {
      problems.add(node, path + " \"" + text + "\" " + problem);
      return null;
    }
    return file;
  }

  private static String privateKeyProblem(String pem) {
    if (pem.contains("-----BEGIN PRIVATE KEY-----")) {
      return null;
    }
    if (pem.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
      return "is encrypted; give the key unencrypted, readable by this JVM's user only"
          + " (openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem)";
    }
    if (pem.matches("(?s).*-----BEGIN (RSA|EC|DSA) PRIVATE KEY-----.*")) {
      return "is not in PKCS#8 form; convert it: openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem";
    }
    return "holds no PEM private key (-----BEGIN PRIVATE KEY-----)";
  }

  String keyPrefix(Node node, String path) {
    String text = scalar(node, path);
    if (text == null) {
      return AgentConfig.DEFAULT_KEY_PREFIX;
    }
    if (text.trim().isEmpty() || text.chars().anyMatch(Character::isWhitespace)) {
      problems.add(node, path + " \"" + text + "\" must be a non-empty word without spaces, e.g. cache-agent or shop-cache");
      return AgentConfig.DEFAULT_KEY_PREFIX;
    }
    return text;
  }
}
