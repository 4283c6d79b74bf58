package io.cacheagent.key;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.cluster.SlotHash;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class CacheKeysTest {

  private static final Namespace NS = KeyNames.readable("cache-agent").namespace("com.acme.Repo#find(long)");
  private static final GenerationKey GEN = KeyNames.readable("cache-agent").generationKey("com.acme.Repo#find(long)", null);

  /** The key of a method keyed by all its arguments, declared {@code Object} unless {@code types} says. */
  private static String key(Object... args) throws UnstableArgumentException {
    return CacheKeys.key(NS, GEN, null, KeyShape.of(java.util.Collections.nCopies(args.length, "java.lang.Object"), null), null, args);
  }

  private static String keyDeclared(List<String> types, Object... args) throws UnstableArgumentException {
    return CacheKeys.key(NS, GEN, null, KeyShape.of(types, null), null, args);
  }

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
    assertThat(keyDeclared(List.of("long", "java.lang.String", "java.lang.Object"), 42L, "shoes", null))
        .isEqualTo("cache-agent:com.acme.Repo#find(long):k2:n42,s5:shoes,~");
  }

  @Test
  void key_integralsOfEqualValue_whereTheKeyPartIsDeclaredIntegral_areEqual() throws Exception {
    String fromLong = keyDeclared(List.of("long"), 42L);

    assertThat(keyDeclared(List.of("java.lang.Integer"), 42)).isEqualTo(fromLong);
    assertThat(keyDeclared(List.of("short"), (short) 42)).isEqualTo(fromLong);
    assertThat(keyDeclared(List.of("java.lang.String"), "42")).isNotEqualTo(fromLong);
  }

  @Test
  void key_integralsOfEqualValue_whereTheDeclaredTypeDoesNotFixIt_areDifferentArguments() throws Exception {
    assertThat(List.of(key(42), key(42L), key(BigInteger.valueOf(42)), key((short) 42), key((byte) 42)))
        .doesNotHaveDuplicates();
    assertThat(keyDeclared(List.of("java.lang.Number"), 42)).isNotEqualTo(keyDeclared(List.of("java.lang.Number"), 42L));
  }

  @Test
  void key_integralsInsideCollections_keepTheirType() throws Exception {
    assertThat(keyDeclared(List.of("java.util.List"), List.of(1, 2))).isNotEqualTo(keyDeclared(List.of("java.util.List"), List.of(1L, 2L)));
  }

  @Test
  void key_arraysListsAndArraysOfOtherTypes_areDifferentArguments() throws Exception {
    assertThat(List.of(key(new int[] {1, 2}), key(List.of(1, 2)), key(new long[] {1, 2}), key(new Integer[] {1, 2}),
        key((Object) new Object[] {1, 2}), key(new char[] {1, 2}), key(new short[] {1, 2})))
        .doesNotHaveDuplicates();
    assertThat(key(new char[] {',', 'a'})).isNotEqualTo(key(new char[] {'a'}, new char[] {'a'}));
  }

  @Test
  void key_stringsWithUnpairedSurrogates_stayApartAndTravelAsUtf8() throws Exception {
    List<String> keys = List.of(key("\uD800"), key("\uDC00"), key("?"), key("\uFFFD"), key("\uD800x"), key("\uDBFF\uDFFF"));

    assertThat(keys).doesNotHaveDuplicates();
    for (String k : keys) { // what Redis receives is UTF-8: a key must survive it unchanged
      assertThat(new String(k.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)).isEqualTo(k);
    }
    assertThat(key("\uDBFF\uDFFF")).isEqualTo(NS + "s2:\uDBFF\uDFFF"); // a pair is readable as it is
  }

  @Test
  void key_largeArrayOrString_isHashedInPlace_andBoundedInSize() throws Exception {
    byte[] bytes = new byte[32 * 1024];
    String hashed = key(bytes);
    bytes[bytes.length - 1] = 1;

    assertThat(hashed).startsWith(NS.start()).hasSizeLessThan(NS.start().length() + CacheKeys.MAX_ARGUMENT_TEXT);
    assertThat(key(bytes)).isNotEqualTo(hashed);
    assertThat(key(new byte[32 * 1024])).isEqualTo(hashed);
    assertThat(key("x".repeat(1000))).isNotEqualTo(key("x".repeat(999) + "y"));
    assertThatThrownBy(() -> key(new byte[4 * 1024 * 1024]))
        .isInstanceOf(KeyTooLargeException.class)
        .hasMessageContaining("more than 64 KiB");
    assertThatThrownBy(() -> key(new long[9000]))
        .isInstanceOf(KeyTooLargeException.class);
    assertThatThrownBy(() -> key(List.of("x".repeat(20_000), "y".repeat(20_000))))
        .isInstanceOf(KeyTooLargeException.class);
  }

  @Test
  void hashKeys_noArgumentTextInKeyNames_andWritesEvictTheKeysReadsUse() throws Exception {
    KeyShape email = KeyShape.of(List.of("java.lang.String"), null);
    Object[] bob = {"bob@example.com"};
    Namespace sha = new KeyNames("cache-agent", ArgumentHashing.SHA_256).namespace("com.acme.Repo#find(java.lang.String)");
    Namespace keyed = new KeyNames("cache-agent", ArgumentHashing.keyed(
        io.cacheagent.secret.Secret.fromEnvironment("TEST_KEY", "0123456789abcdef-one"))).namespace("com.acme.Repo#find(java.lang.String)");
    Namespace otherKey = new KeyNames("cache-agent", ArgumentHashing.keyed(
        io.cacheagent.secret.Secret.fromEnvironment("TEST_KEY", "0123456789abcdef-two"))).namespace("com.acme.Repo#find(java.lang.String)");

    String hashed = CacheKeys.key(sha, GEN, null, email, null, bob);
    String keyedHash = CacheKeys.key(keyed, GEN, null, email, null, bob);

    assertThat(hashed).isEqualTo("cache-agent:com.acme.Repo#find(java.lang.String):k2:#" + KeyText.sha256Utf16("s15:bob@example.com"));
    assertThat(keyedHash).doesNotContain("bob").doesNotContain("example").startsWith(keyed.start() + "#")
        .hasSize(keyed.start().length() + 1 + 43)
        .isNotEqualTo(hashed) // a guessable value cannot be confirmed by hashing it without the key
        .isNotEqualTo(CacheKeys.key(otherKey, GEN, null, email, null, bob));
    assertThat(CacheKeys.key(keyed, GEN, null, email, null, new Object[] {"bob@example.org"})).isNotEqualTo(keyedHash);
    assertThat(CacheKeys.evictionKeys(keyed, GEN, null, email, null, bob)).containsExactly(keyedHash);
  }

  @Test
  void onOneServer_keysCarryNoHashTag_andTheGenerationKeyIsOne() throws Exception {
    assertThat(key(42)).isEqualTo("cache-agent:com.acme.Repo#find(long):k2:i42").doesNotContain("{");
    assertThat(GEN.forEntry(key(42))).isEqualTo("cache-agent:com.acme.Repo#find(long):#generation");
    assertThat(GEN.all()).containsExactly(GEN.name());
  }

  @Test
  void onACluster_anEntry_itsGenerationAndItsLease_shareOneHashSlot_whileAMethodsEntriesSpreadOverManySlots() throws Exception {
    for (ArgumentHashing hashing : List.of(ArgumentHashing.READABLE, ArgumentHashing.SHA_256)) {
      KeyNames names = new KeyNames("shop", hashing).onCluster();
      Namespace namespace = names.namespace("com.acme.Repo#find(java.lang.String)");
      GenerationKey generation = names.generationKey("com.acme.Repo#find(java.lang.String)", null);
      KeyShape shape = KeyShape.of(List.of("java.lang.String"), null);
      Set<Integer> slots = new HashSet<>();
      Set<String> generationCopies = new HashSet<>();
      for (int i = 0; i < 2000; i++) {
        // Braces in an argument must not move the key's tag: Redis takes the first {...}.
        Object[] args = {i % 2 == 0 ? "sku-" + i : "{x}" + i + "}"};
        String key = CacheKeys.key(namespace, generation, null, shape, null, args);
        int slot = SlotHash.getSlot(key);
        assertThat(SlotHash.getSlot(generation.forEntry(key))).as(key).isEqualTo(slot);
        assertThat(SlotHash.getSlot(key + "#lease")).as(key).isEqualTo(slot);
        assertThat(CacheKeys.evictionKeys(namespace, generation, null, shape, null, args)).containsExactly(key);
        slots.add(slot);
        generationCopies.add(generation.forEntry(key));
      }
      assertThat(slots).hasSize(KeyNames.CLUSTER_SLOT_GROUPS);
      assertThat(generationCopies).containsExactlyInAnyOrderElementsOf(generation.all());
    }
  }

  @Test
  void onACluster_theGroupsOfOneMethodReachEveryMasterOfThreeEvenly() {
    // The slot ranges redis-cli --cluster create gives three masters.
    int[] perMaster = new int[3];
    GenerationKey generation = new KeyNames("cache-agent", ArgumentHashing.READABLE).onCluster()
        .generationKey("com.acme.Repo#find(long)", null);
    for (String copy : generation.all()) {
      int slot = SlotHash.getSlot(copy);
      perMaster[slot <= 5460 ? 0 : slot <= 10922 ? 1 : 2]++;
    }
    assertThat(java.util.Arrays.stream(perMaster).min().getAsInt()).as(java.util.Arrays.toString(perMaster)).isGreaterThanOrEqualTo(4);
  }

  @Test
  void evictionKeys_whereTheReadIsDeclaredIntegral_areTheOneKey() throws Exception {
    KeyShape cached = KeyShape.of(List.of("long"), null);
    Order order = new Order(42, null);

    assertThat(CacheKeys.evictionKeys(NS, GEN, List.of(KeyExpression.parse("args[0].id")), cached, null, new Object[] {order}))
        .containsExactly(keyDeclared(List.of("long"), 42L));
    assertThat(CacheKeys.evictionKeys(NS, GEN, null, cached, null, new Object[] {42}))
        .containsExactly(keyDeclared(List.of("long"), 42L));
  }

  @Test
  void evictionKeys_whereTheReadIsDeclaredObject_reachEveryIntegralTypeOfTheValue() throws Exception {
    List<String> keys = CacheKeys.evictionKeys(NS, GEN, null, KeyShape.of(List.of("java.lang.Object"), null), null, new Object[] {42L});

    assertThat(keys).contains(key(42), key(42L), key(BigInteger.valueOf(42)), key((short) 42), key((byte) 42));
    assertThat(CacheKeys.evictionKeys(NS, GEN, null, KeyShape.of(List.of("java.lang.Object"), null), null, new Object[] {1L << 40}))
        .containsExactlyInAnyOrder(key(1L << 40), key(BigInteger.ONE.shiftLeft(40)));
    assertThat(CacheKeys.evictionKeys(NS, GEN, null, KeyShape.of(List.of("java.lang.Object"), null), null, new Object[] {"42"}))
        .containsExactly(key("42"));
  }

  @Test
  void key_propertyChainOfWrite_matchesArgumentOfRead() throws Exception {
    KeyExpression id = KeyExpression.parse("args[0].product.id");
    Order order = new Order(7, new Product(42, "shoes"));

    assertThat(CacheKeys.key(NS, GEN, List.of(id), KeyShape.of(List.of("com.acme.Order"), List.of(id)), null, new Object[] {order}))
        .isEqualTo(keyDeclared(List.of("long"), 42L));
  }

  @Test
  void key_getterRecordAccessorAndField_allResolve() throws Exception {
    Order order = new Order(7, new Product(42, "shoes"));

    assertThat(KeyExpression.parse("args[0].id").evaluate(null, new Object[] {order})).isEqualTo(7L);
    assertThat(KeyExpression.parse("args[0].product.name").evaluate(null, new Object[] {order})).isEqualTo("shoes");
    assertThat(KeyExpression.parse("args[0].product").evaluate(null, new Object[] {null})).isNull();
  }

  @Test
  void key_startingAtThis_readsTheInstance_soTwoInstancesDoNotShareAnEntry() throws Exception {
    List<KeyExpression> key = List.of(KeyExpression.parse("this.name"), KeyExpression.parse("args[0]"));
    KeyShape shape = KeyShape.of(List.of("long"), key);

    String shoes = CacheKeys.key(NS, GEN, key, shape, new Product(1, "shoes"), new Object[] {42L});
    String hats = CacheKeys.key(NS, GEN, key, shape, new Product(1, "hats"), new Object[] {42L});

    assertThat(shoes).isEqualTo(NS + "s5:shoes,n42");
    assertThat(hats).isEqualTo(NS + "s4:hats,n42");
    assertThat(CacheKeys.evictionKeys(NS, GEN, key, shape, new Product(2, "hats"), new Object[] {42}))
        .as("a write on an instance with the same state evicts that entry").containsExactly(hats);
  }

  @Test
  void key_startingAtThis_inAStaticMethod_cannotBeComputed() {
    assertThatThrownBy(() -> KeyExpression.parse("this.region").evaluate(null, new Object[] {1L}))
        .isInstanceOf(UnstableArgumentException.class)
        .hasMessage("this.region names the instance, but the method is static");
  }

  @Test
  void thisAlone_isNotAKeyExpression_forItsTextWouldBeItsIdentity() {
    assertThatThrownBy(() -> KeyExpression.parse("this"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("names the instance but none of its state");
    assertThat(KeyExpression.parse("this.region.code").firstProperty()).isEqualTo("region");
    assertThat(KeyExpression.parse(" this.region ").startsAtInstance()).isTrue();
  }

  @Test
  void key_missingProperty_namesTheAccessorsTried() {
    assertThatThrownBy(() -> KeyExpression.parse("args[0].sku").evaluate(null, new Object[] {new Product(1, "a")}))
        .isInstanceOf(UnstableArgumentException.class)
        .hasMessage("args[0].sku: io.cacheagent.key.CacheKeysTest$Product has no getSku(), isSku(), sku() or field sku that can be read");
  }

  @Test
  void key_valueObjects_encodeByValue() throws Exception {
    UUID uuid = UUID.fromString("6f1c2a9e-1111-4222-8333-944445555666");

    assertThat(key(new Product(1, "a"), Color.RED)).isEqualTo(NS
        + "rio.cacheagent.key.CacheKeysTest$Product(l1,s1:a),eio.cacheagent.key.CacheKeysTest$Color.RED");
    assertThat(key(uuid, LocalDate.of(2026, 11, 26))).isEqualTo(NS
        + "vjava.util.UUID:36:6f1c2a9e-1111-4222-8333-944445555666,vjava.time.LocalDate:10:2026-11-26");
    assertThat(key(new int[] {1, 2}, List.of("x"), true, 1.5d))
        .isEqualTo(NS + "a[I:[1,2],[s1:x],T,d1.5");
  }

  @Test
  void key_plainObject_usesFieldsButNotTransientOnes() throws Exception {
    assertThat(key(new Order(7, new Product(42, "s"))))
        .isEqualTo(NS + "pio.cacheagent.key.CacheKeysTest$Order(id=l7,product=rio.cacheagent.key.CacheKeysTest$Product(l42,s1:s))");
  }

  @Test
  void key_setsAndMaps_ignoreIterationOrder() throws Exception {
    assertThat(key(new LinkedHashSet<>(List.of("b", "a")))).isEqualTo(key(new HashSet<>(List.of("a", "b"))));
    assertThat(key(Map.of("b", 2, "a", 1))).isEqualTo(key(new TreeMap<>(Map.of("a", 1, "b", 2))));
  }

  @Test
  void key_lambdaOrStream_hasNoStableValue() {
    Supplier<String> lambda = () -> "x";

    assertThatThrownBy(() -> key(lambda))
        .isInstanceOf(UnstableArgumentException.class)
        .hasMessageContaining("has no stable value");
    assertThatThrownBy(() -> key(new ByteArrayInputStream(new byte[1])))
        .isInstanceOf(UnstableArgumentException.class)
        .hasMessage("java.io.ByteArrayInputStream has no stable value (identity only)");
  }

  @Test
  void key_longArguments_areHashedToBoundedLength() throws Exception {
    String key = key("x".repeat(10_000), "y".repeat(100), "z".repeat(60));

    assertThat(key).startsWith(NS.start() + "#").hasSize(NS.start().length() + 1 + 43);
    assertThat(key("x".repeat(10_000), "y".repeat(100), "z".repeat(60))).isEqualTo(key);
    assertThat(key("x".repeat(9_999) + "y", "y".repeat(100), "z".repeat(60))).isNotEqualTo(key);
  }

  @Test
  void key_stringsCannotForgeDelimiters() throws Exception {
    assertThat(key("a,s1:b")).isNotEqualTo(key("a", "b"));
  }
}
