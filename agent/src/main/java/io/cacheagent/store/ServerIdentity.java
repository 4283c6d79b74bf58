package io.cacheagent.store;

import io.cacheagent.jdk.Futures;
import io.cacheagent.threads.AgentThreads;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Which Redis server process the connection reaches, by the {@code run_id} of {@code INFO server}:
 * it changes when a reconnect reaches another server (Sentinel named a new master, a host name or
 * a virtual IP now leads elsewhere) and when the same server restarted. Either way the data there
 * may lack writes the server before had confirmed: asynchronous replication, or a restart from a
 * snapshot or an append-only file not yet flushed.
 */
final class ServerIdentity {

  /** How often, and how long apart, the question is asked again while the connection is not usable yet. */
  private static final int ATTEMPTS = 20;
  private static final Executor RETRY_PAUSE = AgentThreads.afterDelay(100, TimeUnit.MILLISECONDS);

  /** The run_id last learnt; {@code null} before the first answer. */
  private volatile String runId;

  /** Learns the run_id of the server {@code commands} reach now: at the first connect. */
  void learn(RedisClusterAsyncCommands<String, ?> commands) {
    ask(commands, ATTEMPTS).thenAccept(learnt -> runId = learnt);
  }

  /**
   * Whether the server {@code commands} reach now may not be the one before: its run_id differs,
   * or could not be learnt (then the safe answer is yes). Completes once the server answered, or
   * after about two seconds of asking.
   */
  CompletableFuture<Boolean> changed(RedisClusterAsyncCommands<String, ?> commands) {
    String before = runId;
    return ask(commands, ATTEMPTS).thenApply(now -> {
      runId = now;
      return now == null || before == null || !before.equals(now);
    });
  }

  /** The run_id, asked again every 100 ms while the connection is not usable yet; {@code null} if it never answered. */
  private static CompletableFuture<String> ask(RedisClusterAsyncCommands<String, ?> commands, int attempts) {
    CompletableFuture<String> reply;
    try {
      reply = commands.info("server").toCompletableFuture().thenApply(ServerIdentity::runIdIn);
    } catch (RuntimeException e) {
      reply = Futures.failed(e);
    }
    return reply.handle((found, failure) -> failure == null || attempts <= 1
            ? CompletableFuture.completedFuture(found)
            : CompletableFuture.supplyAsync(() -> null, RETRY_PAUSE).thenCompose(ignored -> ask(commands, attempts - 1)))
        .thenCompose(next -> next);
  }

  static String runIdIn(String info) {
    for (String line : info.split("\r?\n")) {
      if (line.startsWith("run_id:")) {
        return line.substring("run_id:".length()).trim();
      }
    }
    return null;
  }
}
