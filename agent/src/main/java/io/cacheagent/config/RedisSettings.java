package io.cacheagent.config;

import java.time.Duration;

/**
 * Where and how to reach Redis.
 *
 * @param uri a Lettuce URI ({@code redis://}, {@code rediss://} for TLS), may hold a password
 * @param commandTimeout past it a call runs uncached
 */
public record RedisSettings(String uri, Duration commandTimeout) {

  /** Default of {@code redis.commandTimeout}: 50 milliseconds. */
  public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofMillis(50);

  /** {@code text} with this URI's password, wherever it appears, replaced by {@code <masked>}. */
  public String maskSecretIn(String text) {
    String secret = password();
    return secret == null || secret.isEmpty() ? text : text.replace(secret, "<masked>");
  }

  private String password() {
    int start = uri.indexOf("://");
    int at = uri.lastIndexOf('@');
    if (start < 0 || at < start) {
      return null;
    }
    String userInfo = uri.substring(start + 3, at);
    return userInfo.substring(userInfo.indexOf(':') + 1);
  }

  /** The URI with any password replaced by {@code <masked>}, for logs. */
  public String maskedUri() {
    int start = uri.indexOf("://");
    int at = uri.lastIndexOf('@');
    if (start < 0 || at < start) {
      return uri;
    }
    String userInfo = uri.substring(start + 3, at);
    int colon = userInfo.indexOf(':');
    String user = colon >= 0 ? userInfo.substring(0, colon + 1) : "";
    return uri.substring(0, start + 3) + user + "<masked>" + uri.substring(at);
  }
}
