package io.cacheagent.config;

import java.nio.file.Path;

/**
 * The PEM files of {@code redis.tls}, each {@code null} when not given.
 *
 * @param caCert the certificates to check the server's against, instead of the JVM's trust store
 * @param clientCert the agent's own certificate (chain), for a server that asks for one
 *     ({@code tls-auth-clients})
 * @param clientKey the private key of {@code clientCert}: unencrypted PKCS#8 ({@code BEGIN PRIVATE KEY})
 */
public record TlsFiles(Path caCert, Path clientCert, Path clientKey) {}
