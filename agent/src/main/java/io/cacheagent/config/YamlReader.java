package io.cacheagent.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/** Typed reads from a composed YAML tree; every bad value becomes a problem with its position. */
final class YamlReader {

  private final Problems problems;

  YamlReader(Problems problems) {
    this.problems = problems;
  }

  /** A mapping with only allowed keys, each once; {@code null} if the node is not a mapping. */
  Map<String, Node> mapping(Node node, String path, List<String> allowed) {
    if (!(node instanceof MappingNode mapping)) {
      problems.add(node, path + " must be a mapping of " + String.join(", ", allowed));
      return null;
    }
    Map<String, Node> values = new LinkedHashMap<>();
    String where = path.equals("the top level") ? "at the top level" : "in " + path;
    for (NodeTuple tuple : mapping.getValue()) {
      if (!(tuple.getKeyNode() instanceof ScalarNode keyNode)) {
        problems.add(tuple.getKeyNode(), "a key " + where + " is not a plain name; allowed: " + String.join(", ", allowed));
        continue;
      }
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
    if (node instanceof ScalarNode scalar) {
      return scalar.getValue();
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
    return duration;
  }

  boolean bool(Node node, String path, boolean fallback) {
    String text = scalar(node, path);
    if (text == null) {
      return fallback;
    }
    return switch (text) {
      case "true" -> true;
      case "false" -> false;
      default -> {
        problems.add(node, path + " \"" + text + "\" is not a boolean; use true or false");
        yield fallback;
      }
    };
  }

  String redisUri(Node node, String path) {
    String text = scalar(node, path);
    if (text == null) {
      return null;
    }
    String problem = redisUriProblem(text.strip(), path);
    if (problem != null) {
      problems.add(node, problem);
      return null;
    }
    return text.strip();
  }

  /** Checks a URI from the environment, which has no position in the file. */
  String environmentRedisUri(String uri, String variable) {
    String problem = redisUriProblem(uri.strip(), "environment variable " + variable);
    if (problem != null) {
      problems.addWithoutPosition(problem);
      return null;
    }
    return uri.strip();
  }

  /** What is wrong with a Redis URI, with any password masked, or {@code null} when it is fine. */
  private static String redisUriProblem(String uri, String path) {
    RedisSettings masked = new RedisSettings(uri, Duration.ZERO);
    if (!(uri.startsWith("redis://") || uri.startsWith("rediss://") || uri.startsWith("redis-socket://"))) {
      return path + " \"" + masked.maskedUri()
          + "\" is not a Redis URI; use redis://host:6379/0, rediss://user:password@host:6379 for TLS, or leave redis out for the in-process store";
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

  String keyPrefix(Node node, String path) {
    String text = scalar(node, path);
    if (text == null) {
      return AgentConfig.DEFAULT_KEY_PREFIX;
    }
    if (text.isBlank() || text.chars().anyMatch(Character::isWhitespace)) {
      problems.add(node, path + " \"" + text + "\" must be a non-empty word without spaces, e.g. cache-agent or shop-cache");
      return AgentConfig.DEFAULT_KEY_PREFIX;
    }
    return text;
  }
}
