package io.cacheagent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.cacheagent.testkit.RedisEndpoint;
import io.cacheagent.testkit.RedisExtension;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hibernate entities from a Spring Boot + Spring Data JPA + Hibernate 6 application
 * (fixtures/spring-jpa-app, over an embedded H2, run from its executable jar): cached as their
 * detached copies would be, without allowing any Hibernate class, and never served where the
 * caller would have got a managed entity.
 */
@ExtendWith(RedisExtension.class)
class SpringJpaIT {

  @TempDir
  Path dir;

  private Path config;
  private RedisEndpoint redis;
  private String keyPrefix;

  @BeforeEach
  void writeConfig(RedisEndpoint redis) throws Exception {
    this.redis = redis;
    keyPrefix = "library-" + System.nanoTime();
    config = Configs.write(dir, "library.yaml", """
        redis:
          uri: %s
          keyPrefix: %s
          commandTimeout: 500ms
        methods:
          - method: com.acme.library.LibraryService#findAuthor(long)
            evictOn:
              - method: com.acme.library.LibraryService#rename(long, java.lang.String)
                key: args[0]
          - method: com.acme.library.LibraryService#findAuthorWithBooks(long)
            evictOn:
              - method: com.acme.library.LibraryService#rename(long, java.lang.String)
                key: args[0]
          - method: com.acme.library.LibraryService#findBook(long)
          - method: com.acme.library.LibraryService#shelfOf(long)
          - method: com.acme.library.LibraryService#findAuthorAsObject(long)
          - method: com.acme.library.LibraryService#authorReference(long)
        """.formatted(redis.uri(), keyPrefix));
  }

  /** The application's executable jar: Spring Boot 3 with Hibernate 6 here. */
  Path jar() {
    return Path.of(System.getProperty("spring.jpa.jar"));
  }

  /** Options of the application's JVM: none here, which runs it on its embedded H2. */
  List<String> jvmOptions() {
    return List.of();
  }

  private AppProcess boot() throws Exception {
    return AppProcess.startJar(config, jvmOptions(), jar()).awaitAgentReady(true);
  }

  @Test
  void entitiesWithCollections_areServedAsTheirDetachedCopies() throws Exception {
    try (AppProcess app = boot()) {
      assertThat(app.call("author 1")).isEqualTo("Le Guin tags=[fantasy, sf] books=LazyInitializationException loads=1");
      assertThat(app.call("author 1")).as("served; its lazy books not loaded, as on a detached entity")
          .isEqualTo("Le Guin tags=[fantasy, sf] books=LazyInitializationException loads=1");

      assertThat(app.call("author-with-books 1")).isEqualTo("Le Guin tags=[fantasy, sf] books=[Earthsea, Lathe] loads=2");
      assertThat(app.call("author-with-books 1")).as("served with its books")
          .isEqualTo("Le Guin tags=[fantasy, sf] books=[Earthsea, Lathe] loads=2");
      assertThat(app.log()).doesNotContain("cannot be serialized").doesNotContain("org.hibernate");
    }
  }

  @Test
  void aWriteEvictsTheEntity() throws Exception {
    try (AppProcess app = boot()) {
      assertThat(app.call("author 1")).isEqualTo("Le Guin tags=[fantasy, sf] books=LazyInitializationException loads=1");
      assertThat(app.call("rename 1 Ursula")).isEqualTo("renamed loads=1");
      assertThat(app.call("author 1")).isEqualTo("Ursula tags=[fantasy, sf] books=LazyInitializationException loads=2");
    }
  }

  @Test
  void anUnloadedLazyReference_isServedNotLoaded_knowingItsId() throws Exception {
    try (AppProcess app = boot()) {
      assertThat(app.call("book 10")).isEqualTo("Earthsea by author 1 LazyInitializationException loads=1");
      assertThat(app.call("book 10")).as("served; its author not loaded, as on a detached entity")
          .isEqualTo("Earthsea by author 1 LazyInitializationException loads=1");
      assertThat(app.log()).doesNotContain("cannot be serialized").doesNotContain("not cached");
    }
  }

  @Test
  void aPlantedReferenceNamingAClassThatIsNotAnEntity_isRefused_andTheCallRuns() throws Exception {
    try (AppProcess app = boot()) {
      assertThat(app.call("book 10")).isEqualTo("Earthsea by author 1 LazyInitializationException loads=1");
      // Kryo writes ASCII names with the high bit set on the last character: "or" is left as it is.
      String replaced = redis.server().cli("EVAL", """
          local n = 0
          for _, key in ipairs(redis.call('KEYS', ARGV[1])) do
            if redis.call('TYPE', key).ok == 'string' then
              local planted, count = string.gsub(redis.call('GET', key), 'com%.acme%.library%.Auth', 'com.acme.library.Edit')
              if count > 0 then
                redis.call('SET', key, planted, 'KEEPTTL')
                n = n + count
              end
            end
          end
          return n""", "0", keyPrefix + ":*");
      assertThat(Integer.parseInt(replaced)).as("names of the author's class in the entry").isPositive();

      assertThat(app.call("book 10")).as("refused: run, and replaced")
          .isEqualTo("Earthsea by author 1 LazyInitializationException loads=2");
      assertThat(app.log()).contains("com.acme.library.Editor, which is not a JPA entity");
      assertThat(app.call("book 10")).as("served again").isEqualTo("Earthsea by author 1 LazyInitializationException loads=2");
    }
  }

  @Test
  void underOpenInView_aCopyWithAnUnloadedReferenceIsNotServed() throws Exception {
    try (AppProcess app = boot()) {
      assertThat(app.call("book 10")).isEqualTo("Earthsea by author 1 LazyInitializationException loads=1");
      assertThat(app.call("book-in-view 10")).as("the view loads the author: not served the copy that cannot")
          .isEqualTo("Earthsea by author 1 Le Guin loads=2");
    }
  }

  @Test
  void insideACallersTransaction_theEntityIsLoaded_soItsChangesAreWritten() throws Exception {
    try (AppProcess app = boot()) {
      assertThat(app.call("author 2")).isEqualTo("Herbert tags=[] books=LazyInitializationException loads=1");

      assertThat(app.call("retitle 2 Frank")).as("a managed entity, not a served copy").isEqualTo("retitled loads=2");
      assertThat(app.call("stored-name 2")).as("dirty checking wrote the change").isEqualTo("Frank loads=2");

      Thread.sleep(1_500); // the MXBeans of new methods are registered within a second
      String stats = AppProcess.runToEnd(List.of(AppProcess.attachJava(), "-jar", AppProcess.agentJar(), "stats", String.valueOf(app.pid())));
      assertThat(stats).as("counted apart, as managed: 0 hits, 1 miss, ..., 1 managed, 0 errors")
          .containsPattern("LibraryService#findAuthor\\(long\\) +true +0 +0 +1 +0\\.0% +0 +0 +1 +0 ");
    }
  }

  @Test
  void underOpenInView_aCopyWithUnloadedPartsIsNotServed_aCompleteOneIs() throws Exception {
    try (AppProcess app = boot()) {
      assertThat(app.call("author 1")).isEqualTo("Le Guin tags=[fantasy, sf] books=LazyInitializationException loads=1");
      assertThat(app.call("author-in-view 1")).as("the view loads the books: not served the copy that cannot")
          .isEqualTo("Le Guin tags=[fantasy, sf] books=[Earthsea, Lathe] loads=2");

      assertThat(app.call("author-with-books 1")).isEqualTo("Le Guin tags=[fantasy, sf] books=[Earthsea, Lathe] loads=3");
      assertThat(app.call("author-with-books-in-view 1")).as("everything loaded: served")
          .isEqualTo("Le Guin tags=[fantasy, sf] books=[Earthsea, Lathe] loads=3");
    }
  }

  @Test
  void entitiesThatNameEachOtherThroughALoadedProxy_areServedWithEveryReference() throws Exception {
    try (AppProcess app = boot()) {
      assertThat(app.call("shelf 10")).isEqualTo("[Earthsea by Le Guin of 2, Lathe by Le Guin of 2] loads=1");
      assertThat(app.call("shelf 10")).as("served, each book still naming its author")
          .isEqualTo("[Earthsea by Le Guin of 2, Lathe by Le Guin of 2] loads=1");
    }
  }

  @Test
  void insideAnOverloadsTransaction_sharingItsName_theEntityIsLoaded() throws Exception {
    try (AppProcess app = boot()) {
      assertThat(app.call("author 2")).isEqualTo("Herbert tags=[] books=LazyInitializationException loads=1");

      assertThat(app.call("rename-through-overload 2 Frank")).as("a managed entity, not a served copy")
          .isEqualTo("Frank loads=2");
      assertThat(app.call("stored-name 2")).as("dirty checking wrote the change").isEqualTo("Frank loads=2");
    }
  }

  @Test
  void aLoneUnloadedReference_isNotServedInsideACallersTransaction() throws Exception {
    try (AppProcess app = boot()) {
      assertThat(app.call("author-reference 2")).isEqualTo("2 loads=1");
      assertThat(app.call("author-reference 2")).as("served outside transactions").isEqualTo("2 loads=1");

      assertThat(app.call("retitle-reference 2 Frank")).as("a managed reference, not a served copy").isEqualTo("retitled loads=2");
      assertThat(app.call("stored-name 2")).as("dirty checking wrote the change").isEqualTo("Frank loads=2");
    }
  }

  @Test
  void anEntityReturnedAsObject_isNotServedInsideACallersTransactionEither() throws Exception {
    try (AppProcess app = boot()) {
      assertThat(app.call("author-object 2")).isEqualTo("Herbert loads=1");
      assertThat(app.call("author-object 2")).as("served outside transactions").isEqualTo("Herbert loads=1");

      assertThat(app.call("retitle-object 2 Frank")).as("a managed entity, not a served copy").isEqualTo("retitled loads=2");
      assertThat(app.call("stored-name 2")).as("dirty checking wrote the change").isEqualTo("Frank loads=2");
    }
  }
}
