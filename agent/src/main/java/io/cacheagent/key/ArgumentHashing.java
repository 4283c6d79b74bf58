package io.cacheagent.key;

import io.cacheagent.secret.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * How the argument part of a key is written: readable (hashed only when long), or always hashed
 * ({@code redis.hashKeys: true}), so that no argument value (an email, a token, an account
 * number) can be read by whoever can SCAN or MONITOR Redis or read its dumps. With a secret the
 * hash is keyed (HMAC-SHA256): without one, a guessable value could still be confirmed by hashing
 * it.
 */
public final class ArgumentHashing {

  /** Argument text as it is, hashed only past {@link CacheKeys#MAX_ARGUMENT_TEXT} characters. */
  public static final ArgumentHashing READABLE = new ArgumentHashing(false, null);

  /** Always hashed, with SHA-256. */
  public static final ArgumentHashing SHA_256 = new ArgumentHashing(true, null);

  /** Starts every hashed text: no HMAC the agent computes for another purpose hashes the same bytes. */
  private static final byte[] LABEL = "cache-agent key\0".getBytes(StandardCharsets.US_ASCII);

  private final boolean always;
  private final Secret secret;

  private ArgumentHashing(boolean always, Secret secret) {
    this.always = always;
    this.secret = secret;
  }

  /** Always hashed, with HMAC-SHA256 under {@code secret}. */
  public static ArgumentHashing keyed(Secret secret) {
    return new ArgumentHashing(true, secret);
  }

  /** Whether no argument text appears in key names. */
  public boolean hidesArguments() {
    return always;
  }

  /** What the key holds after its method's namespace: the text itself, or {@code #} and its hash. */
  String argumentPart(String text) {
    if (!always && text.length() <= CacheKeys.MAX_ARGUMENT_TEXT && !hasUnpairedSurrogate(text)) {
      return text;
    }
    byte[] units = KeyText.utf16(text);
    return '#' + (secret == null ? KeyText.sha256(units)
        : Base64.getUrlEncoder().withoutPadding().encodeToString(secret.hmac(LABEL, units, units.length)));
  }

  private static boolean hasUnpairedSurrogate(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    if (!always) {
      return "argument values readable in key names";
    }
    return secret == null ? "argument values hashed in key names (SHA-256)"
        : "argument values hashed in key names (HMAC-SHA256 with " + secret + ")";
  }
}
