package io.cacheagent.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cacheagent.gadget.Gadget;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ValueCodecTest {

  private final ValueCodec codec = new ValueCodec(getClass().getClassLoader(), new ClassAllowList(List.of("io.cacheagent.codec")));

  record Product(long id, String name, List<String> tags, Optional<BigDecimal> price) {}

  enum Status { ACTIVE, RETIRED }

  /** No no-arg constructor, final fields: needs the instantiator strategy. */
  static final class Customer {
    final String name;
    final Status status;
    final UUID id;

    Customer(String name, Status status, UUID id) {
      this.name = name;
      this.status = status;
      this.id = id;
    }
  }

  @Test
  void roundTrip_recordsWithImmutableCollectionsAndOptional() throws Exception {
    Product product = new Product(42, "shoes", List.of("red", "leather"), Optional.of(new BigDecimal("19.90")));

    assertThat(codec.decode(codec.encode(7, 5L, product))).isEqualTo(product);
  }

  @Test
  void roundTrip_classWithoutNoArgConstructor() throws Exception {
    UUID id = UUID.randomUUID();
    Customer decoded = (Customer) codec.decode(codec.encode(7, 5L, new Customer("Ada", Status.RETIRED, id)));

    assertThat(decoded.name).isEqualTo("Ada");
    assertThat(decoded.status).isSameAs(Status.RETIRED);
    assertThat(decoded.id).isEqualTo(id);
  }

  @Test
  void roundTrip_jdkValueTypesAndViews() throws Exception {
    List<Object> values = List.of(
        Map.of("a", 1, "b", 2),
        Set.of(1, 2, 3),
        Collections.unmodifiableList(new ArrayList<>(List.of(1, 2))),
        Collections.unmodifiableSortedSet(new TreeSet<>(Set.of("b", "a"))),
        Collections.unmodifiableMap(Map.of("k", "v")),
        Arrays.asList("x", "y"),
        Optional.empty(),
        LocalDate.of(2026, 11, 26),
        Instant.ofEpochSecond(1_800_000_000L),
        new int[] {1, 2, 3}.length,
        new long[] {4L, 5L}.length);

    for (Object value : values) {
      assertThat(codec.decode(codec.encode(1, 5L, value))).as("%s", value.getClass()).isEqualTo(value);
    }
    assertThat(codec.decode(codec.encode(1, 5L, new long[] {4L, 5L}))).isEqualTo(new long[] {4L, 5L});
  }

  @Test
  void roundTrip_unmodifiableViewStaysUnmodifiable() throws Exception {
    Object decoded = codec.decode(codec.encode(1, 5L, Collections.unmodifiableList(new ArrayList<>(List.of(1)))));

    assertThatThrownBy(() -> ((List<Object>) decoded).add(2)).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void generationOf_plainText_isZero() {
    assertThat(ValueCodec.generationOf("plain text".getBytes())).isZero();
  }

  record Renamed(long id, String title) {}

  record Reordered(String name, long id) {}

  @Test
  void shapeOf_changesWithFieldNamesTypesAndTypeArguments() throws Exception {
    long product = ValueCodec.shapeOf(Product.class);

    assertThat(ValueCodec.shapeOf(Product.class)).isEqualTo(product);
    assertThat(ValueCodec.shapeOf(Renamed.class)).isNotEqualTo(ValueCodec.shapeOf(Reordered.class));
    assertThat(ValueCodec.shapeOf(getClass().getDeclaredMethod("products").getGenericReturnType()))
        .isNotEqualTo(ValueCodec.shapeOf(getClass().getDeclaredMethod("customers").getGenericReturnType()));
    assertThat(ValueCodec.shapeOf(Status.class)).isNotZero();
  }

  List<Product> products() {
    return List.of();
  }

  List<Customer> customers() {
    return List.of();
  }

  @Test
  void header_carriesGenerationAndShape() {
    byte[] entry = codec.encode(-7414783495375871770L, 0x1234_5678_9ABC_DEF0L, "x");

    assertThat(ValueCodec.generationOf(entry)).isEqualTo(-7414783495375871770L);
    assertThat(ValueCodec.shapeOf(entry)).isEqualTo(0x1234_5678_9ABC_DEF0L);
    assertThat(ValueCodec.generationOf(ValueCodec.tombstone())).isZero();
    assertThat(ValueCodec.shapeOf(ValueCodec.tombstone())).isZero();
  }

  @Test
  void decode_foreignBytes_isUndecodable() {
    assertThatThrownBy(() -> codec.decode("{\"json\":true}".getBytes()))
        .isInstanceOf(UndecodableException.class)
        .hasMessage("not a cache-agent entry of format 1 or 2");
  }

  @Test
  void decode_truncatedEntry_isUndecodable() {
    byte[] entry = codec.encode(3, 5L, new Product(1, "a", List.of("x", "y"), Optional.empty()));

    for (int cut = 1; cut < entry.length - 18; cut++) {
      byte[] truncated = Arrays.copyOf(entry, entry.length - cut);
      assertThatThrownBy(() -> codec.decode(truncated)).as("cut %d bytes", cut).isInstanceOf(UndecodableException.class);
    }
  }

  @Test
  void decode_trailingGarbage_isUndecodable() {
    byte[] entry = codec.encode(3, 5L, "value");
    byte[] longer = Arrays.copyOf(entry, entry.length + 2);

    assertThatThrownBy(() -> codec.decode(longer)).isInstanceOf(UndecodableException.class).hasMessage("2 bytes left after the value");
  }

  @Test
  void decode_classOutsideTheAllowList_isRefusedBeforeAnyOfItsCodeRuns() throws Exception {
    ValueCodec permissive = new ValueCodec(getClass().getClassLoader(), new ClassAllowList(List.of("io.cacheagent.gadget")));
    byte[] planted = permissive.encode(7, 5L, new HashMap<>(Map.of(new Gadget("rm -rf /"), "x")));
    int triggeredBefore = Gadget.TRIGGERED.get();

    assertThatThrownBy(() -> codec.decode(planted))
        .isInstanceOfSatisfying(UndecodableException.class, e -> assertThat(e.refusedClass()).isEqualTo(Gadget.class.getName()))
        .hasMessage("class io.cacheagent.gadget.Gadget is not allowed in cache entries");
    assertThat(Gadget.TRIGGERED.get()).as("Gadget.hashCode calls during the refused decode").isEqualTo(triggeredBefore);
    assertThat(permissive.decode(planted)).as("the same bytes do run it where allowed").isInstanceOf(HashMap.class);
    assertThat(Gadget.TRIGGERED.get()).isGreaterThan(triggeredBefore);
  }

  @Test
  void encode_valueHoldingAClassOutsideTheAllowList_isRefused() {
    assertThatThrownBy(() -> codec.encode(7, 5L, List.of(new Gadget("x"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("it holds a io.cacheagent.gadget.Gadget, which entries of this method may not hold;"
            + " to cache it, add the class (or its package, if it is yours) to serialization.allow");
  }

  @Test
  void allowList_packagesIncludeSubpackages_classesAndArraysByElement() {
    ClassAllowList allow = new ClassAllowList(List.of("com.acme.shop", "com.other.Money"));

    assertThat(allow.allows("com.acme.shop.Product")).isTrue();
    assertThat(allow.allows("com.acme.shop.model.Price")).isTrue();
    assertThat(allow.allows("[Lcom.acme.shop.Product;")).isTrue();
    assertThat(allow.allows("[[J")).isTrue();
    assertThat(allow.allows("com.other.Money")).isTrue();
    assertThat(allow.allows("java.time.ZoneRegion")).isTrue();
    assertThat(allow.allows("java.util.ImmutableCollections$ListN")).isTrue();
    assertThat(allow.allows("com.acme.shopping.Cart")).isFalse();
    assertThat(allow.allows("com.other.Moneybag")).isFalse();
    assertThat(allow.allows("java.net.URL")).isFalse();
    assertThat(allow.allows("org.apache.commons.collections.functors.InvokerTransformer")).isFalse();
    assertThat(allow.allows("[Lorg.apache.commons.collections.functors.InvokerTransformer;")).isFalse();
  }

  @Test
  void allowListOfAMethod_ownPackagesWhole_thirdPartyValueTypesTheirPackageAlone() {
    ClassAllowList allow = ClassAllowList.forMethod("com.acme.shop.repo.ProductRepository", "com.acme.shop.repo.Repository",
        List.of("java.util.Map", "com.acme.shop.model.Product", "[Lcom.acme.billing.Invoice;",
            "org.apache.commons.collections4.Bag", "org.springframework.data.domain.Page", "java.lang.Long"),
        List.of("org.joda.time.DateTime"));

    assertThat(allow.allows("com.acme.shop.repo.internal.Row")).as("the method's own package, with subpackages").isTrue();
    assertThat(allow.allows("com.acme.shop.model.money.Price")).as("a value type of the same organisation brings its package").isTrue();
    assertThat(allow.allows("com.acme.billing.Invoice$Line")).as("an array's element type too").isTrue();
    assertThat(allow.allows("org.springframework.data.domain.PageImpl")).as("a third-party type's package").isTrue();
    assertThat(allow.allows("org.springframework.data.domain.Sort$Order")).isTrue();
    assertThat(allow.allows("org.apache.commons.collections4.Bag")).isTrue();
    assertThat(allow.allows("org.apache.commons.collections4.functors.InvokerTransformer")).as("not its subpackages").isFalse();
    assertThat(allow.allows("org.apache.commons.collections4.keyvalue.TiedMapEntry")).isFalse();
    assertThat(allow.allows("org.springframework.data.domain.jaxb.SpringDataJaxb")).isFalse();
    assertThat(allow.allows("org.joda.time.DateTime")).as("serialization.allow").isTrue();
    assertThat(allow.allows("java.lang.ProcessBuilder")).isFalse();
    assertThat(allow.toString()).contains("org.apache.commons.collections4 (without subpackages)");
  }

  @Test
  void allowListOfAMethod_underARootManyOrganisationsShare_oneOrganisationIsThreeSegments() {
    ClassAllowList app = ClassAllowList.forMethod("org.apache.myapp.Service", "org.apache.myapp.Service",
        List.of("org.apache.commons.collections4.Bag", "org.apache.myapp.model.Item"), List.of());
    ClassAllowList github = ClassAllowList.forMethod("io.github.alice.shop.Repo", "io.github.alice.shop.Repo",
        List.of("io.github.bob.lib.Thing", "io.github.alice.model.Item"), List.of());

    assertThat(app.allows("org.apache.commons.collections4.functors.InvokerTransformer")).isFalse();
    assertThat(app.allows("org.apache.myapp.model.detail.Part")).isTrue();
    assertThat(github.allows("io.github.bob.lib.Thing")).isTrue();
    assertThat(github.allows("io.github.bob.lib.internal.Gadget")).isFalse();
    assertThat(github.allows("io.github.alice.model.detail.Part")).isTrue();
  }
}
