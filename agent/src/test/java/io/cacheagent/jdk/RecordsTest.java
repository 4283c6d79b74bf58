package io.cacheagent.jdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RecordsTest {

  record Point(int x, List<String> labels) {}

  static final class NotARecord {
    int x;
  }

  @Test
  void aRecord_hasItsComponentsInDeclarationOrder_withTypesAndAccessors() throws Exception {
    assertThat(Records.isRecord(Point.class)).isTrue();
    List<Records.Component> components = Records.components(Point.class);
    assertThat(components.stream().map(Records.Component::name).collect(Collectors.toList())).containsExactly("x", "labels");
    assertThat(components.get(1).genericType().getTypeName()).isEqualTo("java.util.List<java.lang.String>");
    assertThat(components.get(0).accessor().invoke(new Point(7, List.of()))).isEqualTo(7);
  }

  @Test
  void anyOtherClass_isNoRecord_andHasNoComponents() {
    assertThat(Records.isRecord(NotARecord.class)).isFalse();
    assertThat(Records.isRecord(Record.class)).isFalse();
    assertThat(Records.components(NotARecord.class)).isEmpty();
  }
}
