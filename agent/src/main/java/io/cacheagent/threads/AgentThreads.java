package io.cacheagent.threads;

/** The agent's own threads: daemon (they never keep the JVM alive), named {@code cache-agent-*}, no context class loader. */
public final class AgentThreads {

  private AgentThreads() {}

  /** A new, unstarted thread; {@code name} without the {@code cache-agent-} prefix. */
  public static Thread daemon(String name, Runnable task) {
    Thread thread = new Thread(task, "cache-agent-" + name);
    thread.setDaemon(true);
    thread.setContextClassLoader(null);
    return thread;
  }
}
