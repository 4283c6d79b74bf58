package io.cacheagent.config;

import io.cacheagent.logging.AgentLog;
import io.cacheagent.threads.AgentThreads;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

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
  private final Function<AgentConfig, List<String>> apply;
  private String inForce;
  /** The last version reported as invalid (or in force): not parsed again until the file changes. */
  private String reported;
  private volatile int version;
  private volatile String lastOutcome = "none since start";

  private ConfigWatcher(Path file, String inForce, boolean valid, Map<String, String> env, Function<AgentConfig, List<String>> apply) {
    this.file = file;
    this.inForce = inForce;
    this.reported = inForce;
    this.version = valid ? 1 : 0;
    this.env = env;
    this.apply = apply;
  }

  /**
   * Starts watching on the daemon thread {@code cache-agent-config-watch}.
   *
   * @param inForce the text of the configuration the agent runs with (or was refused with)
   * @param valid whether that text was a valid configuration
   * @param apply takes each valid new configuration and returns what it changed, one line each
   */
  public static ConfigWatcher start(Path file, String inForce, boolean valid, Map<String, String> env,
      Function<AgentConfig, List<String>> apply) {
    ConfigWatcher watcher = new ConfigWatcher(file, inForce, valid, env, apply);
    AgentThreads.daemon("config-watch", watcher::watch).start();
    return watcher;
  }

  public Path file() {
    return file;
  }

  /** Versions of the file applied so far, the one at start included. */
  public int version() {
    return version;
  }

  /** What the last new version of the file did: its changes, or why it was refused. */
  public String lastOutcome() {
    return lastOutcome;
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
            + "); part of it may be in force; trying again every second");
      }
    }
  }

  /** Reads the file; applies it when it is new and valid, reports it once when it is new and not. */
  public synchronized void check() {
    String text;
    try {
      text = ConfigLoader.read(file);
    } catch (ConfigException e) {
      AgentLog.warn("reload-read", e.problems().get(0) + (version == 0
          ? "; the agent starts once it can read a valid version" : "; the running configuration stays in force"));
      return;
    }
    AgentLog.resolved("reload-read");
    if (text.equals(inForce) || text.equals(reported)) {
      return;
    }
    AgentConfig config;
    try {
      config = ConfigLoader.parse(file.getFileName().toString(), text, env);
    } catch (ConfigException e) {
      reported = text;
      e.problems().forEach(AgentLog::info);
      String summary = ConfigException.count(e.problems().size()) + " in the changed " + file.getFileName()
          + (version == 0 ? "; the agent starts once it is valid" : "; the running configuration stays in force");
      AgentLog.info(summary);
      lastOutcome = "refused: " + summary + " (first: " + e.problems().get(0) + ")";
      return;
    }
    List<String> changes = apply.apply(config); // if it throws, the next check tries this version again
    inForce = text;
    reported = text;
    version++;
    lastOutcome = "version " + version + ": " + (changes.isEmpty() ? "no change that matters" : String.join("; ", changes));
  }
}
