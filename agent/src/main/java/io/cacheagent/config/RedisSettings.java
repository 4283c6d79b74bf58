package io.cacheagent.config;

import io.cacheagent.jdk.Immutable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import lombok.Value;

/**
 * Where and how to reach Redis: one server ({@code redis.uri}), or a Redis Cluster ({@code
 * redis.cluster}, its seed nodes).
 */
@Value
public class RedisSettings {

  /**
   * A Lettuce URI ({@code redis://}, {@code rediss://} for TLS), may hold a password; on a cluster,
   * the first seed.
   */
  String uri;
  /** Past it a call runs uncached. */
  Duration commandTimeout;
  /** The certificate files of {@code redis.tls}, or {@code null} for the JVM's trust store and no client certificate. */
  TlsFiles tls;
  /** The seed nodes of {@code redis.cluster}; empty for one server. */
  List<String> cluster;
  /** Which nodes of a cluster answer reads ({@code redis.readFrom}). */
  ReadFrom readFrom;

  /** Which nodes of a cluster answer reads. Writes and compare-and-sets always go to a master. */
  public enum ReadFrom {
    /** The master of the key's slot: a read sees every write Redis confirmed. */
    MASTER("master"),
    /**
     * A replica of the key's slot when one is up: spreads reads, but a replica lags its master, so a
     * read may miss an eviction confirmed a moment ago (see the README, "Scaling out").
     */
    REPLICA_PREFERRED("replicaPreferred");

    private final String yamlName;

    ReadFrom(String yamlName) {
      this.yamlName = yamlName;
    }

    /** As {@code redis.readFrom} names it. */
    public String yamlName() {
      return yamlName;
    }

    @Override
    public String toString() {
      return yamlName;
    }
  }

  public RedisSettings(String uri, Duration commandTimeout, TlsFiles tls, List<String> cluster, ReadFrom readFrom) {
    cluster = Immutable.listCopy(cluster);
    this.uri = uri;
    this.commandTimeout = commandTimeout;
    this.tls = tls;
    this.cluster = cluster;
    this.readFrom = readFrom;
  }

  /** One server, without {@code redis.tls}. */
  public RedisSettings(String uri, Duration commandTimeout) {
    this(uri, commandTimeout, null);
  }

  /** One server, with {@code redis.tls} or without ({@code null}). */
  public RedisSettings(String uri, Duration commandTimeout, TlsFiles tls) {
    this(uri, commandTimeout, tls, Immutable.listOf(), ReadFrom.MASTER);
  }

  /** A query parameter that may hold a secret, e.g. {@code ?password=...}; group 1 is up to the "=". */
  private static final Pattern SECRET_PARAMETER =
      Pattern.compile("([?&][^=&#]*(?:pass|pwd|secret|token|auth|credential)[^=&#]*=)[^&#]*", Pattern.CASE_INSENSITIVE);

  /** Default of {@code redis.commandTimeout}: 50 milliseconds. */
  public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofMillis(50);

  /** Whether this is a Redis Cluster ({@code redis.cluster}) rather than one server. */
  public boolean isCluster() {
    return !cluster.isEmpty();
  }

  /** The URIs the agent connects to: the one server's, or the cluster's seeds. */
  public List<String> uris() {
    return isCluster() ? cluster : Immutable.listOf(uri);
  }

  /** Never a password, for whatever prints it (a log, a debugger): the URIs as {@link #maskedUri} gives them. */
  @Override
  public String toString() {
    return "RedisSettings(" + maskedUri() + ", commandTimeout=" + commandTimeout + ", tls=" + tls + ", readFrom=" + readFrom
        + ")";
  }

  /** {@code text} with the passwords of these URIs, wherever they appear, replaced by {@code <masked>}. */
  public String maskSecretIn(String text) {
    String masked = text;
    for (String each : uris()) {
      for (String secret : secrets(each)) {
        masked = masked.replace(secret, "<masked>");
      }
    }
    return masked;
  }

  /**
   * The URI with any password (user info, or a query parameter such as password=) replaced by
   * {@code <masked>}, for logs; on a cluster, {@code cluster [seed, ...]}, each seed masked.
   */
  public String maskedUri() {
    if (isCluster()) {
      return "cluster " + cluster.stream().map(RedisSettings::masked).collect(Collectors.toList());
    }
    return masked(uri);
  }

  private static String masked(String uri) {
    String masked = uri;
    String userInfo = userInfo(uri);
    if (userInfo != null) {
      int colon = userInfo.indexOf(':');
      String user = colon >= 0 ? userInfo.substring(0, colon + 1) : "";
      int start = uri.indexOf("://") + 3;
      masked = uri.substring(0, start) + user + "<masked>" + uri.substring(start + userInfo.length());
    }
    return SECRET_PARAMETER.matcher(masked).replaceAll("$1<masked>");
  }

  /** Every password in a URI: after the user name, and the values of secret-looking query parameters. */
  private static List<String> secrets(String uri) {
    List<String> secrets = new ArrayList<>();
    String userInfo = userInfo(uri);
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
  private static String userInfo(String uri) {
    int start = uri.indexOf("://");
    int at = uri.lastIndexOf('@');
    return start < 0 || at < start ? null : uri.substring(start + 3, at);
  }
}
