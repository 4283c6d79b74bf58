package io.cacheagent.bench.startup;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;

/**
 * The floor under the agent's first cached call: a JVM that does nothing but start Lettuce, connect
 * to Redis and read one key, without the agent. Prints {@code System.nanoTime()} at {@code main}
 * and when the read answered, as the start-up app does (see {@link StartupTimes}).
 */
public final class LettuceAlone {

  private LettuceAlone() {}

  public static void main(String[] args) throws Exception {
    long main = System.nanoTime();
    RedisClient client = RedisClient.create();
    StatefulRedisConnection<byte[], byte[]> connection =
        client.connectAsync(ByteArrayCodec.INSTANCE, RedisURI.create(args[1])).get();
    connection.async().get(("startup:" + args[0]).getBytes(StandardCharsets.UTF_8)).get();
    long answered = System.nanoTime();
    System.out.println("main=" + main + " firstCall=" + answered + " cached=-1");
    System.exit(0); // Lettuce's threads are not daemons; its orderly shutdown is not what is measured
  }
}
