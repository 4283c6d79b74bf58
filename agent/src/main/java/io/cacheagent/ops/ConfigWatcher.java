package io.cacheagent.ops;

import io.cacheagent.config.AgentConfig;
import io.cacheagent.config.ConfigException;
import io.cacheagent.config.ConfigLoader;
import io.cacheagent.logging.AgentLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;

/*
 * Watches the configuration file and hands every valid new version to the running agent.
 *
 * The file is read once a second and compared with the text in force. Polling rather than a
 * WatchService: editors save by rename, and Kubernetes swaps a ConfigMap's files through a symlink,
 * which directory watches report unevenly or not at all; one small read a second costs nothing.
 *
 * A version with errors is reported with the same messages as at start, once, and the running
 * configuration stays in force until a valid version appears.
 */
public final class ConfigWatcher {

  /** How often the file is read: once a second. */
  public static final long INTERVAL_MILLIS = 1_000;

  private final Path file;
  private final Map<String, String> env;
  private final Consumer<AgentConfig> apply;
  private String inForce;
  private String reported;

  private ConfigWatcher(Path file, String inForce, Map<String, String> env, Consumer<AgentConfig> apply) {
    this.file = file;
    this.inForce = inForce;
    this.reported = inForce;
    this.env = env;
    this.apply = apply;
  }

  /**
   * Starts watching on the daemon thread {@code cache-agent-config-watch}.
   *
   * @param inForce the text of the configuration the agent runs with (or was refused with)
   * @param apply takes each valid new configuration
   */
  public static void start(Path file, String inForce, Map<String, String> env, Consumer<AgentConfig> apply) {
    ConfigWatcher watcher = new ConfigWatcher(file, inForce, env, apply);
    Thread thread = new Thread(watcher::watch, "cache-agent-config-watch");
    thread.setDaemon(true);
    thread.setContextClassLoader(null);
    thread.start();
  }

  private void watch() {
    while (true) {
      try {
        Thread.sleep(INTERVAL_MILLIS);
        check();
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException | LinkageError e) {
        AgentLog.warn("reload-failed", "could not apply the changed " + file.getFileName() + " (" + e
            + "); the running configuration stays in force");
      }
    }
  }

  /** Reads the file; applies it when it is new and valid, reports it once when it is new and not. */
  void check() {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      AgentLog.warn("reload-read", "cannot read " + file + " (" + e + "); the running configuration stays in force");
      return;
    }
    AgentLog.resolved("reload-read");
    if (text.equals(inForce) || text.equals(reported)) {
      return;
    }
    reported = text;
    AgentConfig config;
    try {
      config = ConfigLoader.parse(file.getFileName().toString(), text, env);
    } catch (ConfigException e) {
      e.problems().forEach(AgentLog::info);
      int count = e.problems().size();
      AgentLog.info(count + (count == 1 ? " config error" : " config errors") + " in the changed " + file.getFileName()
          + "; the running configuration stays in force");
      return;
    }
    apply.accept(config);
    inForce = text;
  }
}
