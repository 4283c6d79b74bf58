package io.cacheagent.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The demo's output: a table on the console, {@code demo-report.json} and {@code demo-report.html}. */
final class Report {

  private static final double[] CDF_POINTS = {1, 5, 10, 20, 30, 40, 50, 60, 70, 80, 90, 95, 98, 99, 99.5, 99.9, 100};

  private Report() {}

  static String table(List<RunResult> runs) {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "%-9s %9s %9s %9s %12s %10s %11s %9s %7s%n",
        "mode", "p50 ms", "p95 ms", "p99 ms", "requests/s", "db queries", "queries/req", "hit ratio", "stale"));
    for (RunResult run : runs) {
      out.append(String.format(Locale.ROOT, "%-9s %9.2f %9.2f %9.2f %12.1f %10d %11.3f %8.1f%% %7d%n",
          run.mode(), run.percentileMillis(50), run.percentileMillis(95), run.percentileMillis(99),
          run.throughputPerSecond(), run.dbQueries(), run.dbQueriesPerRequest(), 100 * run.hitRatio(), run.staleReads()));
    }
    return out.toString();
  }

  static void writeJson(Path file, List<RunResult> runs, String conditions) throws IOException {
    StringBuilder json = new StringBuilder("{\n  \"conditions\": \"").append(escape(conditions)).append("\",\n  \"runs\": [\n");
    for (int i = 0; i < runs.size(); i++) {
      RunResult run = runs.get(i);
      json.append(String.format(Locale.ROOT,
          "    {\"mode\": \"%s\", \"store\": \"%s\", \"p50Ms\": %.3f, \"p95Ms\": %.3f, \"p99Ms\": %.3f, "
              + "\"throughputPerSec\": %.1f, \"dbQueries\": %d, \"dbQueriesPerRequest\": %.4f, \"dbReadQueries\": %d, \"reads\": %d, "
              + "\"hitRatio\": %.4f, \"staleReads\": %d, \"nearHits\": %d, \"seconds\": %.1f}%s%n",
          run.mode(), escape(run.store()), run.percentileMillis(50), run.percentileMillis(95), run.percentileMillis(99),
          run.throughputPerSecond(), run.dbQueries(), run.dbQueriesPerRequest(), run.dbReadQueries(), run.reads(), run.hitRatio(),
          run.staleReads(), run.nearHits(), run.seconds(), i < runs.size() - 1 ? "," : ""));
    }
    Files.writeString(file, json.append("  ]\n}\n"));
  }

  /** A self-contained page (no network): latency distribution of reads, before and after, as SVG. */
  static void writeHtml(Path file, List<RunResult> runs, String conditions) throws IOException {
    StringBuilder html = new StringBuilder("""
        <!DOCTYPE html><html><head><meta charset="utf-8"><title>cache-agent demo report</title>
        <style>body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse}
        td,th{padding:4px 10px;border-bottom:1px solid #ddd;text-align:right}th:first-child,td:first-child{text-align:left}
        .no-agent{color:#c0392b}.agent{color:#27ae60}</style></head><body>
        <h1>cache-agent demo: the catalog service before and after</h1>
        """);
    html.append("<p>").append(escapeHtml(conditions)).append("</p>\n<table><tr><th>mode</th><th>store</th><th>p50 ms</th>"
        + "<th>p95 ms</th><th>p99 ms</th><th>requests/s</th><th>db queries</th><th>queries/request</th><th>hit ratio</th><th>stale reads</th></tr>\n");
    for (RunResult run : runs) {
      html.append(String.format(Locale.ROOT, "<tr class=\"%s\"><td>%s</td><td>%s</td><td>%.2f</td><td>%.2f</td><td>%.2f</td>"
              + "<td>%.1f</td><td>%d</td><td>%.3f</td><td>%.1f%%</td><td>%d</td></tr>%n",
          run.mode(), run.mode(), escapeHtml(run.store()), run.percentileMillis(50), run.percentileMillis(95),
          run.percentileMillis(99), run.throughputPerSecond(), run.dbQueries(), run.dbQueriesPerRequest(),
          100 * run.hitRatio(), run.staleReads()));
    }
    html.append("</table>\n<h2>Latency of reads (percentile by latency, log scale)</h2>\n").append(cdfChart(runs));
    html.append("<h2>Requests per latency band</h2>\n").append(histogram(runs)).append("</body></html>\n");
    Files.writeString(file, html);
  }

  private static String cdfChart(List<RunResult> runs) {
    int width = 760;
    int height = 360;
    int left = 60;
    int bottom = 320;
    StringBuilder svg = new StringBuilder("<svg width=\"" + width + "\" height=\"" + height + "\" xmlns=\"http://www.w3.org/2000/svg\">\n");
    for (double ms : new double[] {0.1, 1, 10, 100, 1000}) {
      double x = xFor(ms, left, width - 20);
      svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"20\" x2=\"%.1f\" y2=\"%d\" stroke=\"#eee\"/>"
          + "<text x=\"%.1f\" y=\"%d\" font-size=\"12\" text-anchor=\"middle\">%s ms</text>%n", x, x, bottom, x, bottom + 18, fmt(ms)));
    }
    for (int p = 0; p <= 100; p += 25) {
      double y = bottom - p * (bottom - 20) / 100.0;
      svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>"
          + "<text x=\"%d\" y=\"%.1f\" font-size=\"12\" text-anchor=\"end\">p%d</text>%n", left, y, width - 20, y, left - 6, y + 4, p));
    }
    for (RunResult run : runs) {
      StringBuilder points = new StringBuilder();
      for (double p : CDF_POINTS) {
        double x = xFor(Math.max(0.1, run.percentileMillis(p)), left, width - 20);
        double y = bottom - p * (bottom - 20) / 100.0;
        points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
      }
      svg.append("<polyline fill=\"none\" stroke-width=\"3\" stroke=\"").append(color(run)).append("\" points=\"")
          .append(points).append("\"/>\n");
    }
    svg.append(legend(runs, left + 10, 40)).append("</svg>\n");
    return svg.toString();
  }

  private static String histogram(List<RunResult> runs) {
    double[] bands = {0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, Double.MAX_VALUE};
    int barWidth = 28;
    int height = 260;
    StringBuilder svg = new StringBuilder("<svg width=\"" + (bands.length * (2 * barWidth + 12) + 60) + "\" height=\""
        + (height + 60) + "\" xmlns=\"http://www.w3.org/2000/svg\">\n");
    for (int r = 0; r < runs.size(); r++) {
      RunResult run = runs.get(r);
      long[] counts = new long[bands.length];
      for (long nanos : run.readLatenciesNanos()) {
        double ms = nanos / 1e6;
        int band = 0;
        while (ms > bands[band]) {
          band++;
        }
        counts[band]++;
      }
      for (int b = 0; b < bands.length; b++) {
        double share = run.readLatenciesNanos().length == 0 ? 0 : (double) counts[b] / run.readLatenciesNanos().length;
        double h = share * height;
        int x = 40 + b * (2 * barWidth + 12) + r * barWidth;
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" fill=\"%s\"><title>%s: %.1f%%</title></rect>%n",
            x, 20 + height - h, barWidth - 2, h, color(run), run.mode(), 100 * share));
      }
    }
    for (int b = 0; b < bands.length; b++) {
      String label = b == bands.length - 1 ? "&gt;" + fmt(bands[b - 1]) : "&#8804;" + fmt(bands[b]);
      svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%s ms</text>%n",
          40 + b * (2 * barWidth + 12) + barWidth, height + 38, label));
    }
    return svg.append(legend(runs, 420, 30)).append("</svg>\n").toString();
  }

  private static String legend(List<RunResult> runs, int x, int y) {
    StringBuilder legend = new StringBuilder();
    for (int i = 0; i < runs.size(); i++) {
      legend.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"14\" fill=\"%s\"/>"
          + "<text x=\"%d\" y=\"%d\" font-size=\"13\">%s</text>%n", x, y + i * 20, color(runs.get(i)), x + 20, y + 12 + i * 20, runs.get(i).mode()));
    }
    return legend.toString();
  }

  private static double xFor(double ms, int left, int right) {
    double position = (Math.log10(ms) + 1) / 4; // 0.1 ms .. 1000 ms
    return left + Math.max(0, Math.min(1, position)) * (right - left);
  }

  private static String color(RunResult run) {
    return switch (run.mode()) {
      case "agent" -> "#27ae60";
      case "near-cache" -> "#2980b9";
      default -> "#c0392b";
    };
  }

  private static String fmt(double ms) {
    return ms == Math.rint(ms) ? String.valueOf((long) ms) : String.valueOf(ms);
  }

  private static String escape(String text) {
    return text.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  private static String escapeHtml(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
