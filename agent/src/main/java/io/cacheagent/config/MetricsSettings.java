package io.cacheagent.config;

import java.time.Duration;

/**
 * The {@code metrics} section: what the agent publishes besides JMX. Nothing unless configured.
 *
 * @param port the port of the Prometheus text endpoint ({@code GET /metrics}), or 0 for none
 * @param statsInterval how often a one-line summary goes to the log, or {@code null} for never
 */
public record MetricsSettings(int port, Duration statsInterval) {

  /** No endpoint, no summary line. */
  public static final MetricsSettings NONE = new MetricsSettings(0, null);
}
