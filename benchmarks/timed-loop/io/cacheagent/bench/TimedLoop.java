package io.cacheagent.bench;

import java.util.Arrays;

/**
 * A timed loop, run with and without the agent by {@code benchmarks/timed-loop.sh}: the latency of a
 * plain call, a cached hit and a cached miss from one thread, and the time from JVM start to main.
 * A stopgap until JMH benchmarks exist; no number from it means anything without its conditions.
 */
public class TimedLoop {

  public record Product(long id, String name, double price) {}

  public Product cached(long id) {
    return new Product(id, "product-" + id, id * 1.5);
  }

  public Product missed(long id) {
    return new Product(id, "product-" + id, id * 1.5);
  }

  public Product plain(long id) {
    return new Product(id, "product-" + id, id * 1.5);
  }

  static volatile Object sink;

  public static void main(String[] args) throws Exception {
    if (args[0].equals("start")) {
      // args[1]: epoch milliseconds just before the launch. (The process's own start instant is
      // derived from the boot time in whole seconds on Linux: up to a second off.)
      System.out.println(System.currentTimeMillis() - Long.parseLong(args[1]));
      return;
    }
    Thread.sleep(Long.parseLong(args[2])); // until the agent is ready and connected
    TimedLoop loop = new TimedLoop();
    int calls = Integer.parseInt(args[1]);
    for (int round = 0; round < 3; round++) {
      long[] hit = new long[calls];
      long[] miss = new long[calls];
      long[] plain = new long[calls];
      for (int i = 0; i < calls; i++) {
        long t0 = System.nanoTime();
        sink = loop.plain(i);
        plain[i] = System.nanoTime() - t0;
        t0 = System.nanoTime();
        sink = loop.cached(7);
        hit[i] = System.nanoTime() - t0;
        t0 = System.nanoTime();
        sink = loop.missed(System.nanoTime()); // a new key every call
        miss[i] = System.nanoTime() - t0;
      }
      System.out.println("round " + round + "  plain " + stats(plain) + "  | hit " + stats(hit) + "  | miss " + stats(miss));
    }
  }

  private static String stats(long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return String.format("p50=%.1fus p99=%.1fus", sorted[sorted.length / 2] / 1000.0, sorted[(int) (sorted.length * 0.99)] / 1000.0);
  }
}
