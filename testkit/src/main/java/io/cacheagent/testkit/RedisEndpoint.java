package io.cacheagent.testkit;

/**
 * A Redis server for a test, wherever it comes from (see {@link RedisExtension}).
 *
 * @param uri where to connect, e.g. {@code redis://127.0.0.1:41234/0}
 * @param server the process, when this run started one (so tests may stop it), else {@code null}
 */
public record RedisEndpoint(String uri, RedisServer server) {}
