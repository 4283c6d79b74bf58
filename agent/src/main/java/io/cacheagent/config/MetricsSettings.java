package io.cacheagent.config;

import java.time.Duration;
import lombok.Value;

/** The {@code metrics} section: what the agent publishes besides JMX. Nothing unless configured. */
@Value
public class MetricsSettings {

  /**
   * The address the Prometheus endpoint listens on: loopback unless the file says otherwise, so that
   * only this host can read it.
   */
  String host;
  /**
   * The port of the Prometheus text endpoint ({@code GET /metrics}); 0 for any free port (logged, and
   * shown by {@code stats}); {@link #NO_PORT} for no endpoint.
   */
  int port;
  /** How often a one-line summary goes to the log, or {@code null} for never. */
  Duration statsInterval;

  /** The address the endpoint listens on unless {@code metrics.host} says otherwise. */
  public static final String DEFAULT_HOST = "127.0.0.1";

  /** No endpoint: {@code metrics.port} absent. */
  public static final int NO_PORT = -1;

  /** No endpoint, no summary line. */
  public static final MetricsSettings NONE = new MetricsSettings(DEFAULT_HOST, NO_PORT, null);

  /** Whether the Prometheus endpoint is served. */
  public boolean servesEndpoint() {
    return port != NO_PORT;
  }
}
