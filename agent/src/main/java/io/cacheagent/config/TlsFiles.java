package io.cacheagent.config;

import java.nio.file.Path;
import lombok.Value;

/** The PEM files of {@code redis.tls}, each {@code null} when not given. */
@Value
public class TlsFiles {

  /** The certificates to check the server's against, instead of the JVM's trust store. */
  Path caCert;
  /** The agent's own certificate (chain), for a server that asks for one ({@code tls-auth-clients}). */
  Path clientCert;
  /** The private key of {@code clientCert}: unencrypted PKCS#8 ({@code BEGIN PRIVATE KEY}). */
  Path clientKey;
}
