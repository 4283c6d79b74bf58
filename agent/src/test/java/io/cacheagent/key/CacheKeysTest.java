package io.cacheagent.key;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class CacheKeysTest {

  private static final String NS = CacheKeys.namespace("cache-agent", "com.acme.Repo#find(long)");

  record Product(long id, String name) {}

  static final class Order {
    private final long id;
    private final Product product;
    private transient Object lock = new Object();

    Order(long id, Product product) {
      this.id = id;
      this.product = product;
    }

    public long getId() {
      return id;
    }
  }

  enum Color { RED }

  @Test
  void key_allArguments_isReadableUnderNamespace() throws Exception {
    assertThat(CacheKeys.key(NS, null, new Object[] {42L, "shoes", null}))
        .isEqualTo("cache-agent:com.acme.Repo#find(long):i42,s5:shoes,~");
  }

  @Test
  void key_boxedAndPrimitiveIntegralsOfEqualValue_areEqual() throws Exception {
    String fromLong = CacheKeys.key(NS, null, new Object[] {42L});

    assertThat(CacheKeys.key(NS, null, new Object[] {42})).isEqualTo(fromLong);
    assertThat(CacheKeys.key(NS, null, new Object[] {(short) 42})).isEqualTo(fromLong);
    assertThat(CacheKeys.key(NS, null, new Object[] {"42"})).isNotEqualTo(fromLong);
  }

  @Test
  void key_propertyChainOfWrite_matchesArgumentOfRead() throws Exception {
    KeyExpression id = KeyExpression.parse("args[0].product.id");
    Order order = new Order(7, new Product(42, "shoes"));

    assertThat(CacheKeys.key(NS, List.of(id), new Object[] {order}))
        .isEqualTo(CacheKeys.key(NS, null, new Object[] {42L}));
  }

  @Test
  void key_getterRecordAccessorAndField_allResolve() throws Exception {
    Order order = new Order(7, new Product(42, "shoes"));

    assertThat(KeyExpression.parse("args[0].id").evaluate(new Object[] {order})).isEqualTo(7L);
    assertThat(KeyExpression.parse("args[0].product.name").evaluate(new Object[] {order})).isEqualTo("shoes");
    assertThat(KeyExpression.parse("args[0].product").evaluate(new Object[] {null})).isNull();
  }

  @Test
  void key_missingProperty_namesTheAccessorsTried() {
    assertThatThrownBy(() -> KeyExpression.parse("args[0].sku").evaluate(new Object[] {new Product(1, "a")}))
        .isInstanceOf(UnstableArgumentException.class)
        .hasMessage("args[0].sku: io.cacheagent.key.CacheKeysTest$Product has no getSku(), isSku(), sku() or field sku that can be read");
  }

  @Test
  void key_valueObjects_encodeByValue() throws Exception {
    UUID uuid = UUID.fromString("6f1c2a9e-1111-4222-8333-944445555666");

    assertThat(CacheKeys.key(NS, null, new Object[] {new Product(1, "a"), Color.RED})).isEqualTo(NS
        + "rio.cacheagent.key.CacheKeysTest$Product(i1,s1:a),eio.cacheagent.key.CacheKeysTest$Color.RED");
    assertThat(CacheKeys.key(NS, null, new Object[] {uuid, LocalDate.of(2026, 11, 26)})).isEqualTo(NS
        + "vjava.util.UUID:36:6f1c2a9e-1111-4222-8333-944445555666,vjava.time.LocalDate:10:2026-11-26");
    assertThat(CacheKeys.key(NS, null, new Object[] {new int[] {1, 2}, List.of("x"), true, 1.5d}))
        .isEqualTo(NS + "[i1,i2],[s1:x],T,d1.5");
  }

  @Test
  void key_plainObject_usesFieldsButNotTransientOnes() throws Exception {
    assertThat(CacheKeys.key(NS, null, new Object[] {new Order(7, new Product(42, "s"))}))
        .isEqualTo(NS + "pio.cacheagent.key.CacheKeysTest$Order(id=i7,product=rio.cacheagent.key.CacheKeysTest$Product(i42,s1:s))");
  }

  @Test
  void key_setsAndMaps_ignoreIterationOrder() throws Exception {
    assertThat(CacheKeys.key(NS, null, new Object[] {new LinkedHashSet<>(List.of("b", "a"))}))
        .isEqualTo(CacheKeys.key(NS, null, new Object[] {new HashSet<>(List.of("a", "b"))}));
    assertThat(CacheKeys.key(NS, null, new Object[] {Map.of("b", 2, "a", 1)}))
        .isEqualTo(CacheKeys.key(NS, null, new Object[] {new TreeMap<>(Map.of("a", 1L, "b", 2L))}));
  }

  @Test
  void key_lambdaOrStream_hasNoStableValue() {
    Supplier<String> lambda = () -> "x";

    assertThatThrownBy(() -> CacheKeys.key(NS, null, new Object[] {lambda}))
        .isInstanceOf(UnstableArgumentException.class)
        .hasMessageContaining("has no stable value");
    assertThatThrownBy(() -> CacheKeys.key(NS, null, new Object[] {new ByteArrayInputStream(new byte[1])}))
        .isInstanceOf(UnstableArgumentException.class)
        .hasMessage("java.io.ByteArrayInputStream has no stable value (identity only)");
  }

  @Test
  void key_longArguments_areHashedToBoundedLength() throws Exception {
    String key = CacheKeys.key(NS, null, new Object[] {"x".repeat(10_000)});

    assertThat(key).startsWith(NS + "#").hasSize(NS.length() + 1 + 43);
    assertThat(CacheKeys.key(NS, null, new Object[] {"x".repeat(10_000)})).isEqualTo(key);
    assertThat(CacheKeys.key(NS, null, new Object[] {"x".repeat(9_999) + "y"})).isNotEqualTo(key);
  }

  @Test
  void key_stringsCannotForgeDelimiters() throws Exception {
    assertThat(CacheKeys.key(NS, null, new Object[] {"a,s1:b"}))
        .isNotEqualTo(CacheKeys.key(NS, null, new Object[] {"a", "b"}));
  }
}
