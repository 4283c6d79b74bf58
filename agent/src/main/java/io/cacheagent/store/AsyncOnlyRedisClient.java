package io.cacheagent.store;

import io.lettuce.core.RedisChannelWriter;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisReactiveCommandsImpl;
import io.lettuce.core.RedisURI;
import io.lettuce.core.StatefulRedisConnectionImpl;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.protocol.PushHandler;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;

/**
 * A Lettuce client whose connections offer the asynchronous API only, the one the store uses.
 *
 * <p>A Lettuce connection builds its synchronous API as a JDK proxy over some 400 command methods,
 * and its reactive API beside it, when it is opened: on a 2-core machine that is about 300 ms of
 * the first connect, while the application's first calls wait for it. {@code
 * newStatefulRedisConnection} and the {@code new...CommandsImpl} methods are Lettuce's own
 * extension points for this. {@code sync()} and {@code reactive()} of these connections return
 * {@code null}: Lettuce's own connect, handshake, AUTH, SELECT, reconnect and close do not use them,
 * but its master/replica topology and client-side caching ({@code ClientSideCaching}) do; those
 * need a plain {@code RedisClient}.
 */
final class AsyncOnlyRedisClient extends RedisClient {

  AsyncOnlyRedisClient(ClientResources resources, RedisURI uri) {
    super(resources, uri);
  }

  @Override
  protected <K, V> StatefulRedisConnectionImpl<K, V> newStatefulRedisConnection(
      RedisChannelWriter writer, PushHandler pushHandler, RedisCodec<K, V> codec, Duration timeout) {
    return new StatefulRedisConnectionImpl<K, V>(writer, pushHandler, codec, timeout) {
      @Override
      protected RedisCommands<K, V> newRedisSyncCommandsImpl() {
        return null;
      }

      @Override
      protected RedisReactiveCommandsImpl<K, V> newRedisReactiveCommandsImpl() {
        return null;
      }
    };
  }
}
