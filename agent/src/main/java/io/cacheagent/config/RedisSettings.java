package io.cacheagent.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where and how to reach Redis.
 *
 * @param uri a Lettuce URI ({@code redis://}, {@code rediss://} for TLS), may hold a password
 * @param commandTimeout past it a call runs uncached
 * @param tls the certificate files of {@code redis.tls}, or {@code null} for the JVM's trust store and no client certificate
 */
public record RedisSettings(String uri, Duration commandTimeout, TlsFiles tls) {

  /** Settings without {@code redis.tls}. */
  public RedisSettings(String uri, Duration commandTimeout) {
    this(uri, commandTimeout, null);
  }

  /** A query parameter that may hold a secret, e.g. {@code ?password=...}; group 1 is up to the "=". */
  private static final Pattern SECRET_PARAMETER =
      Pattern.compile("([?&][^=&#]*(?:pass|pwd|secret|token|auth|credential)[^=&#]*=)[^&#]*", Pattern.CASE_INSENSITIVE);

  /** Default of {@code redis.commandTimeout}: 50 milliseconds. */
  public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofMillis(50);

  /** {@code text} with this URI's passwords, wherever they appear, replaced by {@code <masked>}. */
  public String maskSecretIn(String text) {
    String masked = text;
    for (String secret : secrets()) {
      masked = masked.replace(secret, "<masked>");
    }
    return masked;
  }

  /** The URI with any password (user info, or a query parameter such as password=) replaced by {@code <masked>}, for logs. */
  public String maskedUri() {
    String masked = uri;
    String userInfo = userInfo();
    if (userInfo != null) {
      int colon = userInfo.indexOf(':');
      String user = colon >= 0 ? userInfo.substring(0, colon + 1) : "";
      int start = uri.indexOf("://") + 3;
      masked = uri.substring(0, start) + user + "<masked>" + uri.substring(start + userInfo.length());
    }
    return SECRET_PARAMETER.matcher(masked).replaceAll("$1<masked>");
  }

  /** Every password in the URI: after the user name, and the values of secret-looking query parameters. */
  private List<String> secrets() {
    List<String> secrets = new ArrayList<>();
    String userInfo = userInfo();
    if (userInfo != null && userInfo.indexOf(':') >= 0 && userInfo.indexOf(':') < userInfo.length() - 1) {
      secrets.add(userInfo.substring(userInfo.indexOf(':') + 1));
    }
    Matcher parameter = SECRET_PARAMETER.matcher(uri);
    while (parameter.find()) {
      if (parameter.end() > parameter.end(1)) {
        secrets.add(uri.substring(parameter.end(1), parameter.end()));
      }
    }
    return secrets;
  }

  /** What stands between "://" and the last "@" (user and password), or {@code null}. */
  private String userInfo() {
    int start = uri.indexOf("://");
    int at = uri.lastIndexOf('@');
    return start < 0 || at < start ? null : uri.substring(start + 3, at);
  }
}
