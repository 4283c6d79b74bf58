package io.cacheagent.config;

import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.Node;

/** Collects configuration errors, each prefixed with {@code file:line:column}. */
final class Problems {

  private final String fileName;
  private final List<String> lines = new ArrayList<>();

  Problems(String fileName) {
    this.fileName = fileName;
  }

  void add(Node node, String message) {
    add(node.getStartMark(), message);
  }

  void add(Mark mark, String message) {
    lines.add(mark == null
        ? fileName + ": " + message
        : fileName + ':' + (mark.getLine() + 1) + ':' + (mark.getColumn() + 1) + ": " + message);
  }

  void addWithoutPosition(String message) {
    lines.add(fileName + ": " + message);
  }

  boolean isEmpty() {
    return lines.isEmpty();
  }

  ConfigException toException() {
    return new ConfigException(lines);
  }
}
