package io.cacheagent.store;

import io.cacheagent.testkit.RedisServer;
import java.io.IOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Stands for a JVM's near caches: hears the keys a store tells of; a test says whether any near cache is left. */
final class StandInNearCaches implements Invalidations.Listener {

  private static final Pattern PING_CALLS = Pattern.compile("cmdstat_ping:calls=(\\d+)");

  final BlockingQueue<String> changed = new LinkedBlockingQueue<>();
  final AtomicBoolean inUse = new AtomicBoolean(true);

  @Override
  public void changed(String key) {
    changed.add(key);
  }

  @Override
  public boolean inUse() {
    return inUse.get();
  }

  /** How many of {@code server}'s clients have key tracking on (flag {@code t} in CLIENT LIST). */
  static long trackingClients(RedisServer server) throws IOException, InterruptedException {
    return server.cli("CLIENT", "LIST").lines().filter(client -> client.matches(".* flags=\\S*t\\S* .*")).count();
  }

  /** How many PINGs {@code server} answered since it started. */
  static long pings(RedisServer server) throws IOException, InterruptedException {
    Matcher calls = PING_CALLS.matcher(server.cli("INFO", "commandstats"));
    return calls.find() ? Long.parseLong(calls.group(1)) : 0;
  }
}
