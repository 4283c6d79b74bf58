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
    String userInfo = userInfo();
    if (userInfo == null) {
      return text;
    }
    String secret = userInfo.substring(userInfo.indexOf(':') + 1);
    return secret.isEmpty() ? text : text.replace(secret, "<masked>");
  }

  /** The URI with any password replaced by {@code <masked>}, for logs. */
  public String maskedUri() {
    String userInfo = userInfo();
    if (userInfo == null) {
      return uri;
    }
    int colon = userInfo.indexOf(':');
    String user = colon >= 0 ? userInfo.substring(0, colon + 1) : "";
    int start = uri.indexOf("://") + 3;
    return uri.substring(0, start) + user + "<masked>" + uri.substring(start + userInfo.length());
  }

  /** What stands between "://" and the last "@" (user and password), or {@code null}. */
  private String userInfo() {
    int start = uri.indexOf("://");
    int at = uri.lastIndexOf('@');
    return start < 0 || at < start ? null : uri.substring(start + 3, at);
  }
}
