package io.cacheagent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatsCommandTest {

  @Test
  void table_widensTheMethodColumnToTheLongestSignature_soThatTheOthersLineUp() {
    String longSignature = "com.acme.inventory.warehouse.StockLevelRepository#findByWarehouseAndSku(java.lang.String,java.lang.String)";
    List<String> lines = StatsCommand.table(List.of(
        new String[] {"method", "enabled", "hits", "near hits", "misses", "hit ratio", "coalesced", "uncached", "managed", "off", "errors", "load p50",
            "load p99"},
        new String[] {"com.acme.Repo#find(long)", "true", "2", "0", "1", "66.7%", "0", "0", "0", "0", "0", "0.07ms", "0.07ms"},
        new String[] {longSignature, "false", "0", "0", "0", "0.0%", "0", "0", "0", "12", "0", "0.00ms", "0.00ms"}));

    int enabledColumn = longSignature.length() + 1;
    assertThat(lines.get(0).substring(enabledColumn)).startsWith("enabled");
    assertThat(lines.get(1).substring(enabledColumn)).startsWith("true");
    assertThat(lines.get(2).substring(enabledColumn)).startsWith("false");
    assertThat(lines).extracting(String::length).containsOnly(lines.get(0).length());
  }
}
