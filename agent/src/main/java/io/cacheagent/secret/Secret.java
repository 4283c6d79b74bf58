package io.cacheagent.secret;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A key an operator gave the agent (from an environment variable), used only to compute
 * HMAC-SHA256. It never shows itself: {@link #toString} and {@link #fingerprint} give a short
 * HMAC of a fixed text, by which operators can tell whether two JVMs hold the same key without
 * either one printing it. For a random key (openssl rand) the fingerprint tells nothing of it; a
 * key a person made up could be guessed and checked against it, as against any HMAC it made.
 */
public final class Secret {

  /** Macs kept for reuse; more exist while more threads compute at once. */
  private static final int POOL_SIZE = 64;

  /** Fewest bytes a key may have: shorter keys can be guessed. */
  public static final int MIN_BYTES = 16;

  private final String source;
  private final SecretKeySpec key;
  /**
   * Macs to reuse: building one takes longer than the HMAC of a small entry. A pool, not one per
   * thread: a service on virtual threads starts a thread per request.
   */
  private final BlockingQueue<Mac> macs = new ArrayBlockingQueue<>(POOL_SIZE);
  private final String fingerprint;

  private Secret(String source, byte[] bytes) {
    this.source = source;
    this.key = new SecretKeySpec(bytes, "HmacSHA256");
    byte[] mark = hmac("cache-agent key fingerprint".getBytes(StandardCharsets.UTF_8));
    this.fingerprint = String.format("%02x%02x%02x%02x", mark[0], mark[1], mark[2], mark[3]);
  }

  /**
   * The key held by environment variable {@code name}, its text as UTF-8 bytes; throws {@link
   * IllegalArgumentException}, with a message that names the variable and never the value, when
   * it is shorter than {@link #MIN_BYTES}.
   */
  public static Secret fromEnvironment(String name, String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    if (bytes.length < MIN_BYTES) {
      throw new IllegalArgumentException(name + " holds " + bytes.length + " bytes; a key needs at least " + MIN_BYTES
          + " (e.g. openssl rand -base64 32)");
    }
    return new Secret(name, bytes);
  }

  /** HMAC-SHA256 of {@code bytes}, 32 bytes. */
  private byte[] hmac(byte[] bytes) {
    return hmac(new byte[0], bytes, bytes.length);
  }

  /** HMAC-SHA256 of {@code prefix} followed by the first {@code length} of {@code bytes}, 32 bytes. */
  public byte[] hmac(byte[] prefix, byte[] bytes, int length) {
    Mac mac = macs.poll();
    if (mac == null) {
      mac = newMac();
    }
    mac.update(prefix);
    mac.update(bytes, 0, length);
    byte[] result = mac.doFinal(); // and reset, for the next use
    macs.offer(mac);
    return result;
  }

  /** Whether {@code mac} is {@link #hmac(byte[], byte[], int)}, compared in time that does not depend on where they differ. */
  public boolean verifies(byte[] mac, byte[] prefix, byte[] bytes, int length) {
    return MessageDigest.isEqual(mac, hmac(prefix, bytes, length));
  }

  /** Eight hex digits that tell keys apart and reveal nothing of them. */
  public String fingerprint() {
    return fingerprint;
  }

  @Override
  public String toString() {
    return source + " (fingerprint " + fingerprint + ")";
  }

  private Mac newMac() {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK has HmacSHA256", e);
    }
  }
}
