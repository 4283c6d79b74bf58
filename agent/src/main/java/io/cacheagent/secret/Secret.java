package io.cacheagent.secret;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A key an operator gave the agent (from an environment variable), used only to compute
 * HMAC-SHA256. It never shows itself: {@link #toString} and {@link #fingerprint} give a short
 * HMAC of a fixed text, by which operators can tell whether two JVMs hold the same key without
 * either one printing it.
 */
public final class Secret {

  /** Fewest bytes a key may have: shorter keys can be guessed. */
  public static final int MIN_BYTES = 16;

  private final String source;
  private final SecretKeySpec key;
  /** A Mac per thread: building one takes longer than the HMAC of a small entry. */
  private final ThreadLocal<Mac> macs;
  private final String fingerprint;

  private Secret(String source, byte[] bytes) {
    this.source = source;
    this.key = new SecretKeySpec(bytes, "HmacSHA256");
    this.macs = ThreadLocal.withInitial(this::newMac);
    this.fingerprint = HexFormat.of().formatHex(hmac("cache-agent key fingerprint".getBytes(StandardCharsets.UTF_8)), 0, 4);
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
  public byte[] hmac(byte[] bytes) {
    return hmac(new byte[0], bytes, bytes.length);
  }

  /** HMAC-SHA256 of {@code prefix} followed by the first {@code length} of {@code bytes}, 32 bytes. */
  public byte[] hmac(byte[] prefix, byte[] bytes, int length) {
    Mac mac = macs.get();
    mac.update(prefix);
    mac.update(bytes, 0, length);
    return mac.doFinal();
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
