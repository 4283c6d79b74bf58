package io.cacheagent.config;

import io.cacheagent.jdk.Immutable;
import java.util.List;

/** The configuration has errors; {@link #problems()} lists every one, each with file, line and column. */
public final class ConfigException extends Exception {

  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  ConfigException(List<String> problems) {
    super(String.join(System.lineSeparator(), problems) + System.lineSeparator() + summary(problems.size()));
    this.problems = Immutable.listCopy(problems);
  }

  /** Each problem as one line: {@code file:line:column: what is wrong; what is accepted}. */
  public List<String> problems() {
    return problems;
  }

  /** {@code 1 config error}, {@code 3 config errors}: how each summary counts them. */
  public static String count(int problems) {
    return problems + (problems == 1 ? " config error" : " config errors");
  }

  private static String summary(int count) {
    return count(count) + "; cache-agent is disabled and the application runs without caching";
  }
}
