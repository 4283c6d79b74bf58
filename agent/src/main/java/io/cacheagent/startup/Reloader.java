package io.cacheagent.startup;

import io.cacheagent.config.AgentConfig;
import io.cacheagent.instrument.Instrumenter;
import io.cacheagent.logging.AgentLog;
import io.cacheagent.runtime.MethodTable;
import java.util.List;
import java.util.Set;

/**
 * Applies a reloaded configuration to the running agent: new rules replace old ones in the method
 * table at once (switches, TTLs, keys, evictions), and classes that now have methods to instrument
 * are transformed again. Logs each change as one line.
 */
public final class Reloader {

  private final MethodTable table;
  private final Instrumenter instrumenter;
  private volatile AgentConfig inForce;

  public Reloader(AgentConfig inForce, MethodTable table, Instrumenter instrumenter) {
    this.inForce = inForce;
    this.table = table;
    this.instrumenter = instrumenter;
  }

  /** The configuration the agent runs with. */
  public AgentConfig inForce() {
    return inForce;
  }

  /** Applies {@code next} and returns what changed, one line per method; called by the watcher only. */
  public List<String> apply(AgentConfig next) {
    List<String> changes = ConfigDiff.lines(inForce, next);
    Set<String> retransform = table.reconfigure(next);
    instrumenter.reconfigure(next, table.retiredRules(), retransform);
    inForce = next;
    if (changes.isEmpty()) {
      AgentLog.info("reloaded " + next.source() + ": nothing that matters changed");
    }
    for (String change : changes) {
      AgentLog.info("reloaded " + next.source() + ": " + change);
    }
    return changes;
  }
}
