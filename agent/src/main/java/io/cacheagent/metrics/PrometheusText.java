package io.cacheagent.metrics;

import io.cacheagent.runtime.MethodSnapshot;
import io.cacheagent.store.CacheStore;
import java.util.List;
import java.util.Locale;

/**
 * The agent's metrics in the Prometheus text exposition format (version 0.0.4).
 *
 * <p>Written here rather than with the Prometheus Java client: the format is a few lines per
 * metric, and the client's jars would take the agent jar past its 15 MB budget.
 */
final class PrometheusText {

  private PrometheusText() {}

  static String render(List<MethodSnapshot> methods, CacheStore store) {
    StringBuilder out = new StringBuilder(1024);
    header(out, "cache_agent_calls_total", "counter", "Calls of cached methods, by what the cache did: hit, miss, coalesced (served by a concurrent call's load), uncached,"
        + " managed (not served: the caller would have got a managed JPA entity), off (the method was switched off).");
    for (MethodSnapshot m : methods) {
      sample(out, "cache_agent_calls_total", m, "result", "hit", m.hits());
      sample(out, "cache_agent_calls_total", m, "result", "miss", m.misses());
      sample(out, "cache_agent_calls_total", m, "result", "coalesced", m.coalesced());
      sample(out, "cache_agent_calls_total", m, "result", "uncached", m.uncached());
      sample(out, "cache_agent_calls_total", m, "result", "managed", m.managed());
      sample(out, "cache_agent_calls_total", m, "result", "off", m.off());
    }
    header(out, "cache_agent_near_hits_total", "counter", "Hits served from a copy in this JVM (nearCache), without a round trip to Redis;"
        + " a part of the calls with result hit.");
    for (MethodSnapshot m : methods) {
      sample(out, "cache_agent_near_hits_total", m, null, null, m.nearHits());
    }
    header(out, "cache_agent_entry_errors_total", "counter", "Entries that could not be used or stored, by kind.");
    for (MethodSnapshot m : methods) {
      sample(out, "cache_agent_entry_errors_total", m, "kind", "undecodable", m.undecodable());
      sample(out, "cache_agent_entry_errors_total", m, "kind", "refused", m.refused());
      sample(out, "cache_agent_entry_errors_total", m, "kind", "unencodable", m.unencodable());
    }
    header(out, "cache_agent_evictions_total", "counter", "Evictions that write methods ran on the method's entries, by key or all.");
    for (MethodSnapshot m : methods) {
      sample(out, "cache_agent_evictions_total", m, null, null, m.evictions());
    }
    header(out, "cache_agent_eviction_key_failures_total", "counter",
        "Evictions whose key could not be computed from the write's arguments; each dropped every entry of the method instead.");
    for (MethodSnapshot m : methods) {
      sample(out, "cache_agent_eviction_key_failures_total", m, null, null, m.evictionKeyFailures());
    }
    header(out, "cache_agent_refreshes_total", "counter", "Entries near their end reloaded in the background (refreshAhead),"
        + " by result: stored (offered to the store, which keeps it unless a write came first) or failed (the method threw).");
    for (MethodSnapshot m : methods) {
      sample(out, "cache_agent_refreshes_total", m, "result", "stored", m.refreshes() - m.refreshFailures());
      sample(out, "cache_agent_refreshes_total", m, "result", "failed", m.refreshFailures());
    }
    header(out, "cache_agent_load_seconds", "summary", "How long the method ran on a miss, since the JVM started.");
    for (MethodSnapshot m : methods) {
      sample(out, "cache_agent_load_seconds", m, "quantile", "0.5", m.loadSeconds().p50());
      sample(out, "cache_agent_load_seconds", m, "quantile", "0.9", m.loadSeconds().p90());
      sample(out, "cache_agent_load_seconds", m, "quantile", "0.99", m.loadSeconds().p99());
      sample(out, "cache_agent_load_seconds_sum", m, null, null, m.loadSecondsSum());
      sample(out, "cache_agent_load_seconds_count", m, null, null, m.loads());
    }
    header(out, "cache_agent_method_enabled", "gauge", "1 when the cached method is switched on.");
    for (MethodSnapshot m : methods) {
      sample(out, "cache_agent_method_enabled", m, null, null, m.enabled() ? 1 : 0);
    }
    header(out, "cache_agent_store_up", "gauge", "1 when the store answers reads: connected to Redis with the circuit closed, or in-process.");
    out.append("cache_agent_store_up ").append(store.state().equals("connected") || store.state().equals("in-process") ? 1 : 0).append('\n');
    return out.toString();
  }

  private static void header(StringBuilder out, String name, String type, String help) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  private static void sample(StringBuilder out, String name, MethodSnapshot m, String label, String value, double number) {
    out.append(name).append("{method=\"").append(escape(m.method())).append('"');
    if (label != null) {
      out.append(',').append(label).append("=\"").append(value).append('"');
    }
    out.append("} ");
    if (number == Math.rint(number) && Math.abs(number) < 1e15) {
      out.append((long) number);
    } else {
      out.append(String.format(Locale.ROOT, "%.6g", number));
    }
    out.append('\n');
  }

  /** Label values escape backslash, double quote and line feed. */
  private static String escape(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
