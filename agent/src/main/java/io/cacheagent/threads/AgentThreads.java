package io.cacheagent.threads;

/**
 * The agent's own threads: daemon (they never keep the JVM alive), named {@code cache-agent-*}, no
 * context class loader, and none of the inheritable thread locals of the thread that made them (an
 * application's request or security context must not outlive it in an agent thread).
 */
public final class AgentThreads {

  private AgentThreads() {}

  /** A new, unstarted thread; {@code name} without the {@code cache-agent-} prefix. */
  public static Thread daemon(String name, Runnable task) {
    Thread thread = new Thread(null, task, "cache-agent-" + name, 0, false);
    thread.setDaemon(true);
    thread.setContextClassLoader(null);
    return thread;
  }
}
