package io.cacheagent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cacheagent.fixture.JdbcCatalog;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckCommandTest {

  @TempDir
  Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  private int check(String yaml) throws Exception {
    Path config = Files.writeString(dir.resolve("cache-agent.yaml"), yaml);
    Path classes = Path.of(JdbcCatalog.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    return Command.run(new String[] {"check", config.toString(), classes.toString()},
        new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
  }

  private String output() {
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void check_everySignatureMatches_exitsZero() throws Exception {
    int code = check("""
        methods:
          - method: io.cacheagent.fixture.JdbcCatalog#find(long)
            evictOn:
              - method: io.cacheagent.fixture.JdbcCatalog#save(io.cacheagent.fixture.Item)
                all: true
          - method: io.cacheagent.fixture.Catalog#find(long)
        """);

    assertThat(code).isZero();
    assertThat(output()).isEqualTo("""
        ok       methods[0].method "io.cacheagent.fixture.JdbcCatalog#find(long)": matches io.cacheagent.fixture.JdbcCatalog#find(long)
        ok       methods[0].evictOn[0].method "io.cacheagent.fixture.JdbcCatalog#save(io.cacheagent.fixture.Item)": matches io.cacheagent.fixture.JdbcCatalog#save(io.cacheagent.fixture.Item)
        ok       methods[1].method "io.cacheagent.fixture.Catalog#find(long)": io.cacheagent.fixture.Catalog#find(long) is abstract (an interface); applies to io.cacheagent.fixture.JdbcCatalog#find(long)
        cache-agent.yaml: 3 signatures, all match
        """);
  }

  @Test
  void check_aClassPathEntryThatDoesNotExist_isNamedAndIgnored_asJavaIgnoresIt() throws Exception {
    Path config = Files.writeString(dir.resolve("cache-agent.yaml"), """
        methods:
          - method: io.cacheagent.fixture.JdbcCatalog#find(long)
        """);
    Path classes = Path.of(JdbcCatalog.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path missing = dir.resolve("no-such-dir");

    int code = Command.run(new String[] {"check", config.toString(), missing + java.io.File.pathSeparator + classes},
        new PrintStream(out, true, StandardCharsets.UTF_8), System.err);

    assertThat(code).as(output()).isZero();
    assertThat(output()).startsWith("read     " + missing + ": not found, ignored (as java -cp ignores it)\n")
        .endsWith("cache-agent.yaml: 1 signature, all match\n");
  }

  @Test
  void check_signaturesThatMatchNothing_sayWhatWasProbablyMeant_andExitOne() throws Exception {
    int code = check("""
        methods:
          - method: io.cacheagent.fixture.Archive#restore(long)
          - method: io.cacheagent.fixture.JdbcCatalog#findByName(int)
          - method: io.cacheagent.fixture.JdbcCatalog#findByNme(String)
          - method: io.cacheagent.fixture.JdbcCatalog#save(io.cacheagent.fixture.Item)
          - method: io.cacheagent.fixture.JpaCatalog#find(long)
        """);

    assertThat(code).isEqualTo(1);
    assertThat(output()).isEqualTo("""
        NO MATCH methods[0].method "io.cacheagent.fixture.Archive#restore(long)": io.cacheagent.fixture.Archive#restore(long) is abstract (an interface) and no class on the class path implements it
        NO MATCH methods[1].method "io.cacheagent.fixture.JdbcCatalog#findByName(int)": no overload with these parameter types; io.cacheagent.fixture.JdbcCatalog declares io.cacheagent.fixture.JdbcCatalog#findByName(java.lang.String)
        NO MATCH methods[2].method "io.cacheagent.fixture.JdbcCatalog#findByNme(java.lang.String)": io.cacheagent.fixture.JdbcCatalog declares no method named findByNme; closest: io.cacheagent.fixture.JdbcCatalog#findByName(java.lang.String)
        NO MATCH methods[3].method "io.cacheagent.fixture.JdbcCatalog#save(io.cacheagent.fixture.Item)": io.cacheagent.fixture.JdbcCatalog#save(io.cacheagent.fixture.Item) returns void: nothing to cache; use it in evictOn instead
        NO MATCH methods[4].method "io.cacheagent.fixture.JpaCatalog#find(long)": class io.cacheagent.fixture.JpaCatalog is not on the class path
        cache-agent.yaml: 5 signatures, 5 do not match
        """);
  }

  @Test
  void check_configErrors_areListedInFileOrder_withACountForTheFile() throws Exception {
    int code = check("""
        redis:
          commandTimeout: fast
        methods:
          - method: io.cacheagent.fixture.JdbcCatalog#find(long)
            ttl: 10 minutes
        """);

    assertThat(code).isEqualTo(1);
    assertThat(output()).isEqualTo("""
        cache-agent.yaml:2:19: redis.commandTimeout "fast" is not a duration; use 250ms, 30s, 10m, 1h, 1d or PT10M
        cache-agent.yaml:5:10: methods[0].ttl "10 minutes" is not a duration; use 250ms, 30s, 10m, 1h, 1d or PT10M
        cache-agent.yaml: 2 config errors; the agent would refuse this file
        """);
  }

  @Test
  void check_futuresOfANamedValue_areCached_otherFuturesStreamsAndVoidAreNot_andSaySo() throws Exception {
    int code = check("""
        methods:
          - method: io.cacheagent.fixture.AsyncCatalog#findLater(long)
          - method: io.cacheagent.fixture.AsyncCatalog#findStage(long)
          - method: io.cacheagent.fixture.AsyncCatalog#findAll()
          - method: io.cacheagent.fixture.AsyncCatalog#rawLater(long)
          - method: io.cacheagent.fixture.AsyncCatalog#submitted(long)
          - method: io.cacheagent.fixture.AsyncCatalog#refresh(long)
          - method: io.cacheagent.fixture.AsyncCatalog#findAllLater()
        """);

    assertThat(code).isEqualTo(1);
    assertThat(output()).isEqualTo("""
        ok       methods[0].method "io.cacheagent.fixture.AsyncCatalog#findLater(long)": matches io.cacheagent.fixture.AsyncCatalog#findLater(long)
        ok       methods[1].method "io.cacheagent.fixture.AsyncCatalog#findStage(long)": matches io.cacheagent.fixture.AsyncCatalog#findStage(long)
        NO MATCH methods[2].method "io.cacheagent.fixture.AsyncCatalog#findAll()": io.cacheagent.fixture.AsyncCatalog#findAll() returns java.util.stream.Stream<io.cacheagent.fixture.Item>, a result still to come or to be consumed once (a java.util.stream.BaseStream): the agent caches values, and of futures only those a CompletableFuture or CompletionStage completes with; not cached. Cache the method that computes the value instead
        NO MATCH methods[3].method "io.cacheagent.fixture.AsyncCatalog#rawLater(long)": io.cacheagent.fixture.AsyncCatalog#rawLater(long) returns java.util.concurrent.CompletableFuture without naming the type of its value: not cached. Declare it, as in CompletableFuture<Product>
        NO MATCH methods[4].method "io.cacheagent.fixture.AsyncCatalog#submitted(long)": io.cacheagent.fixture.AsyncCatalog#submitted(long) returns java.util.concurrent.Future<io.cacheagent.fixture.Item>, a result still to come or to be consumed once (a java.util.concurrent.Future): the agent caches values, and of futures only those a CompletableFuture or CompletionStage completes with; not cached. Cache the method that computes the value instead
        NO MATCH methods[5].method "io.cacheagent.fixture.AsyncCatalog#refresh(long)": io.cacheagent.fixture.AsyncCatalog#refresh(long) returns java.util.concurrent.CompletableFuture<java.lang.Void>: nothing to cache; use it in evictOn instead
        NO MATCH methods[6].method "io.cacheagent.fixture.AsyncCatalog#findAllLater()": io.cacheagent.fixture.AsyncCatalog#findAllLater() returns java.util.concurrent.CompletionStage<java.util.stream.Stream<io.cacheagent.fixture.Item>>, whose value is a result still to come or to be consumed once (a java.util.stream.BaseStream): not cached. Cache the method that computes the value instead
        cache-agent.yaml: 7 signatures, 5 do not match
        """);
  }

  @Test
  void check_batchMethods_thatCannotBeCachedPerElement_areNotCached_andSaySo() throws Exception {
    int code = check("""
        methods:
          - method: io.cacheagent.fixture.BatchCatalog#findAll(java.util.List)
            batch: args[0]
          - method: io.cacheagent.fixture.BatchCatalog#byIds(java.util.Set)
            batch: args[0]
          - method: io.cacheagent.fixture.BatchCatalog#rawAll(java.util.List)
            batch: args[0]
          - method: io.cacheagent.fixture.BatchCatalog#asArray(java.util.List)
            batch: args[0]
          - method: io.cacheagent.fixture.BatchCatalog#find(long)
            batch: args[0]
        """);

    assertThat(code).isEqualTo(1);
    assertThat(output()).isEqualTo("""
        ok       methods[0].method "io.cacheagent.fixture.BatchCatalog#findAll(java.util.List)": matches io.cacheagent.fixture.BatchCatalog#findAll(java.util.List)
        ok       methods[1].method "io.cacheagent.fixture.BatchCatalog#byIds(java.util.Set)": matches io.cacheagent.fixture.BatchCatalog#byIds(java.util.Set)
        ok       methods[2].method "io.cacheagent.fixture.BatchCatalog#rawAll(java.util.List)": matches io.cacheagent.fixture.BatchCatalog#rawAll(java.util.List)
        NOT CACHED methods[2].batch "args[0]": io.cacheagent.fixture.BatchCatalog#rawAll(java.util.List) returns java.util.List without naming the type of its values, which batch caches one entry each: not cached. Declare it, as in List<Product> or Map<Long, Product>
        ok       methods[3].method "io.cacheagent.fixture.BatchCatalog#asArray(java.util.List)": matches io.cacheagent.fixture.BatchCatalog#asArray(java.util.List)
        NOT CACHED methods[3].batch "args[0]": io.cacheagent.fixture.BatchCatalog#asArray(java.util.List) returns io.cacheagent.fixture.Item[], but batch needs a List (one result per element, in order) or a Map keyed by the elements: not cached
        ok       methods[4].method "io.cacheagent.fixture.BatchCatalog#find(long)": matches io.cacheagent.fixture.BatchCatalog#find(long)
        NOT CACHED methods[4].batch "args[0]": io.cacheagent.fixture.BatchCatalog#find(long) takes a long as args[0], which batch names, but batch needs a Collection of the elements (ids) to read: not cached
        cache-agent.yaml: 5 signatures, all match; 3 batch methods not cached
        """);
  }

  @Test
  void check_aBatchWhoseElementsAreNotWhatItsEntriesOfReturns_isNotCached() throws Exception {
    int code = check("""
        methods:
          - method: io.cacheagent.fixture.BatchCatalog#findOne(long)
          - method: io.cacheagent.fixture.BatchCatalog#findAll(java.util.List)
            batch:
              argument: args[0]
              entriesOf: io.cacheagent.fixture.BatchCatalog#findOne(long)
          - method: io.cacheagent.fixture.BatchCatalog#names(java.util.List)
            batch:
              argument: args[0]
              entriesOf: io.cacheagent.fixture.BatchCatalog#findOne(long)
        """);

    assertThat(code).isEqualTo(1);
    assertThat(output()).contains("""
        NOT CACHED methods[2].batch "{argument: args[0], entriesOf: io.cacheagent.fixture.BatchCatalog#findOne(long)}": \
        io.cacheagent.fixture.BatchCatalog#names(java.util.List) has batch.entriesOf io.cacheagent.fixture.BatchCatalog#findOne(long), \
        which returns io.cacheagent.fixture.Item, but one element of the batch is a java.lang.String: they cannot share entries; \
        not cached
        """).doesNotContain("NOT CACHED methods[1]").endsWith("3 signatures, all match; 1 batch method not cached\n");
  }

  @Test
  void check_futures_onAnInterface_orAmongOverloads_orWithAReturnTypeNotOnTheClassPath() throws Exception {
    int code = check("""
        methods:
          - method: io.cacheagent.fixture.AsyncLookup#lookup(long)
          - method: io.cacheagent.fixture.AsyncCatalog#find
          - method: io.cacheagent.fixture.DescribingCatalog#described(long)
        """);

    assertThat(code).isEqualTo(0);
    assertThat(output()).isEqualTo("""
        ok       methods[0].method "io.cacheagent.fixture.AsyncLookup#lookup(long)": io.cacheagent.fixture.AsyncLookup#lookup(long) is abstract (an interface); applies to io.cacheagent.fixture.AsyncCatalog#lookup(long)
        ok       methods[1].method "io.cacheagent.fixture.AsyncCatalog#find": matches io.cacheagent.fixture.AsyncCatalog#find(long), io.cacheagent.fixture.AsyncCatalog#find(java.lang.String)
        ok       methods[2].method "io.cacheagent.fixture.DescribingCatalog#described(long)": matches io.cacheagent.fixture.DescribingCatalog#described(long)
        cache-agent.yaml: 3 signatures, all match
        """);
  }

  @Test
  void check_evictionKeysTheDeclaredTypesShowCanNeverEvict_areErrors() throws Exception {
    int code = check("""
        methods:
          - method: io.cacheagent.fixture.JdbcCatalog#find(long)
            evictOn:
              - method: io.cacheagent.fixture.JdbcCatalog#findByName(String)
                key: args[0].customerId
              - method: io.cacheagent.fixture.JdbcCatalog#save(io.cacheagent.fixture.Item)
                key: args[0].name
              - method: io.cacheagent.fixture.JdbcCatalog#save(io.cacheagent.fixture.Item)
              - method: io.cacheagent.fixture.JdbcCatalog#save(io.cacheagent.fixture.Item)
                key: args[0].id
        """);

    assertThat(code).isEqualTo(1);
    assertThat(output()).contains("""
        BAD KEY  methods[0].evictOn[0].key "args[0].customerId": java.lang.String has no getCustomerId(), isCustomerId(), customerId() or field customerId; the agent would not cache io.cacheagent.fixture.JdbcCatalog#find(long)
        """, """
        BAD KEY  methods[0].evictOn[1].key "args[0].name" yields java.lang.String, but part 1 of the key of io.cacheagent.fixture.JdbcCatalog#find(long) is long: they can never be equal; the agent would not cache io.cacheagent.fixture.JdbcCatalog#find(long)
        """, """
        BAD KEY  methods[0].evictOn[2].key "args[0]" yields io.cacheagent.fixture.Item, but part 1 of the key of io.cacheagent.fixture.JdbcCatalog#find(long) is long: they can never be equal; the agent would not cache io.cacheagent.fixture.JdbcCatalog#find(long)
        """, """
        cache-agent.yaml: 5 signatures, all match; 3 eviction keys can never evict
        """).doesNotContain("evictOn[3].key");
  }

  @Test
  void check_cachedMethodReadingInstanceStateItsKeyDoesNotName_warns_butStillExitsZero() throws Exception {
    int code = check("""
        methods:
          - method: io.cacheagent.fixture.RegionalPrices#quote(long)
        """);

    assertThat(code).isZero();
    assertThat(output()).isEqualTo("""
        ok       methods[0].method "io.cacheagent.fixture.RegionalPrices#quote(long)": matches io.cacheagent.fixture.RegionalPrices#quote(long)
        warning  methods[0].method "io.cacheagent.fixture.RegionalPrices#quote(long)": io.cacheagent.fixture.RegionalPrices#quote(long) reads this.region, which its key does not name: results may depend on the instance, and instances that differ there share entries; if they do, add it to the key, e.g. key: [this.region, "args[0]"]
        cache-agent.yaml: 1 signature, all match; 1 warning
        """);
  }

  @Test
  void check_keyNamingTheInstanceState_noWarning() throws Exception {
    int code = check("""
        methods:
          - method: io.cacheagent.fixture.RegionalPrices#quote(long)
            key: [this.region, "args[0]"]
        """);

    assertThat(code).isZero();
    assertThat(output()).doesNotContain("warning");
  }

  @Test
  void check_readsSpringBootJarsWarsAndWildcards_asTheirClassLoadersWould() throws Exception {
    Path classes = Path.of(JdbcCatalog.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    byte[] library = jar(Map.of("io/cacheagent/fixture/Item.class", classFile(classes, "Item"),
        "io/cacheagent/fixture/Catalog.class", classFile(classes, "Catalog")));
    Path bootJar = write("app.jar", jar(Map.of(
        "BOOT-INF/classes/io/cacheagent/fixture/JdbcCatalog.class", classFile(classes, "JdbcCatalog"),
        "BOOT-INF/lib/catalog-api.jar", library,
        "org/springframework/boot/loader/launch/JarLauncher.class", new byte[] {1})));
    Path war = write("app.war", jar(Map.of(
        "WEB-INF/classes/io/cacheagent/fixture/RegionalPrices.class", classFile(classes, "RegionalPrices"))));
    Files.createDirectories(dir.resolve("lib"));
    Files.write(dir.resolve("lib/archive.jar"), jar(Map.of("io/cacheagent/fixture/Archive.class", classFile(classes, "Archive"))));
    String yaml = """
        methods:
          - method: io.cacheagent.fixture.JdbcCatalog#find(long)
          - method: io.cacheagent.fixture.Catalog#find(long)
          - method: io.cacheagent.fixture.RegionalPrices#currencyOf(String)
          - method: io.cacheagent.fixture.Archive#restore(long)
        """;

    int code = checkOn(yaml, String.join(java.io.File.pathSeparator, bootJar.toString(), war.toString(), dir.resolve("lib") + "/*"));

    assertThat(output()).startsWith("""
        read     %s: a Spring Boot jar, read from BOOT-INF/classes/ and 1 jar in BOOT-INF/lib/
        read     %s: a WAR, read from WEB-INF/classes/ and 0 jars in WEB-INF/lib/
        read     %s/*: 1 jar
        ok       methods[0].method "io.cacheagent.fixture.JdbcCatalog#find(long)": matches io.cacheagent.fixture.JdbcCatalog#find(long)
        ok       methods[1].method "io.cacheagent.fixture.Catalog#find(long)": io.cacheagent.fixture.Catalog#find(long) is abstract (an interface); applies to io.cacheagent.fixture.JdbcCatalog#find(long)
        ok       methods[2].method "io.cacheagent.fixture.RegionalPrices#currencyOf(java.lang.String)": matches io.cacheagent.fixture.RegionalPrices#currencyOf(java.lang.String)
        NO MATCH methods[3].method "io.cacheagent.fixture.Archive#restore(long)": io.cacheagent.fixture.Archive#restore(long) is abstract (an interface) and no class on the class path implements it
        """.formatted(bootJar, war, dir.resolve("lib")));
    assertThat(code).as("Archive#restore has no implementation").isEqualTo(1);
    try (java.util.stream.Stream<Path> left = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      assertThat(left.filter(p -> p.getFileName().toString().startsWith("cache-agent-check"))).as("unpacked files deleted").isEmpty();
    }
  }

  private int checkOn(String yaml, String classPath) throws Exception {
    Path config = Files.writeString(dir.resolve("cache-agent.yaml"), yaml);
    return Command.run(new String[] {"check", config.toString(), classPath}, new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
  }

  private Path write(String name, byte[] bytes) throws Exception {
    return Files.write(dir.resolve(name), bytes);
  }

  private static byte[] classFile(Path classes, String simpleName) throws Exception {
    return Files.readAllBytes(classes.resolve("io/cacheagent/fixture/" + simpleName + ".class"));
  }

  private static byte[] jar(Map<String, byte[]> entries) throws Exception {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.util.jar.JarOutputStream jar = new java.util.jar.JarOutputStream(bytes)) {
      for (Map.Entry<String, byte[]> entry : new java.util.TreeMap<>(entries).entrySet()) {
        jar.putNextEntry(new java.util.jar.JarEntry(entry.getKey()));
        jar.write(entry.getValue());
        jar.closeEntry();
      }
    }
    return bytes.toByteArray();
  }

  @Test
  void check_invalidFile_printsItsProblems_andExitsOne() throws Exception {
    int code = check("methods:\n  - method: io.cacheagent.fixture.JdbcCatalog#find(long)\n    ttl: soon\n");

    assertThat(code).isEqualTo(1);
    assertThat(output()).startsWith("cache-agent.yaml:3:10: methods[0].ttl \"soon\" is not a duration");
  }
}
