package io.cacheagent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.cacheagent.testkit.RedisEndpoint;
import io.cacheagent.testkit.RedisExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signatures on interfaces and abstract methods reach the classes that implement them: the
 * fixture library's configuration names only {@code BookRepository}, {@code Repository} and
 * {@code PriceList}, never a concrete class.
 */
@ExtendWith(RedisExtension.class)
class InterfaceRulesIT {

  @TempDir
  Path dir;

  private static final String METHODS = """
      methods:
        - method: com.acme.library.BookRepository#find(long)
          evictOn:
            - method: com.acme.library.BookRepository#save(com.acme.library.Book)
              key: args[0].id
        - method: com.acme.library.Repository#findById(java.lang.Object)
        - method: com.acme.library.PriceList#price
        - method: com.acme.library.BookLookup#lookup(long)
      """;

  private String redisSection(RedisEndpoint redis) {
    return """
        redis:
          uri: %s
          keyPrefix: library-%d
          commandTimeout: 500ms
        """.formatted(redis.uri(), System.nanoTime());
  }

  private AppProcess library(RedisEndpoint redis) throws Exception {
    return start(Configs.write(dir, "library.yaml", redisSection(redis) + METHODS));
  }

  private AppProcess start(Path config) throws Exception {
    AppProcess app = AppProcess.start(config, List.of(), AppProcess.appClassPath(), "com.acme.library.LibraryApp", Map.of());
    return app.awaitAgentReady(true);
  }

  @Test
  void interfaceMethod_isCachedInItsImplementation_andEvictedByTheInterfacesWrite(RedisEndpoint redis) throws Exception {
    try (AppProcess app = library(redis)) {
      assertThat(app.call("find 1")).isEqualTo("Book{1, title-1} queries=1");
      assertThat(app.call("find 1")).isEqualTo("Book{1, title-1} queries=1");

      assertThat(app.call("save 1 Dune")).isEqualTo("saved queries=1");
      assertThat(app.call("find 1")).isEqualTo("Book{1, Dune} queries=2");
      assertThat(app.call("find 1")).isEqualTo("Book{1, Dune} queries=2");
      assertThat(app.log()).contains("instrumented com.acme.library.JdbcBookRepository (3 cached, 1 evicting)");
    }
  }

  @Test
  void interfaceRuleAddedByAReload_reachesTheImplementationLoadedBefore(RedisEndpoint redis) throws Exception {
    String redisSection = redisSection(redis);
    Path config = Configs.write(dir, "library.yaml", redisSection + """
        methods:
          - method: com.acme.library.PriceList#price(long)
        """);
    try (AppProcess app = start(config)) {
      assertThat(app.call("find 5")).isEqualTo("Book{5, title-5} queries=1");
      assertThat(app.call("find 5")).isEqualTo("Book{5, title-5} queries=2");

      Configs.write(dir, "library.yaml", redisSection + METHODS);
      app.awaitLog("+ com.acme.library.BookRepository#find(long)");
      app.awaitLog("instrumented com.acme.library.JdbcBookRepository (3 cached, 1 evicting)");

      assertThat(app.call("find 5")).isEqualTo("Book{5, title-5} queries=3");
      assertThat(app.call("find 5")).isEqualTo("Book{5, title-5} queries=3");
    }
  }

  @Test
  void reloadThatNamesTheImplementationInsteadOfTheInterface_movesItsKeys_andItsEvictionsFollow(RedisEndpoint redis) throws Exception {
    String redisSection = redisSection(redis);
    Path config = Configs.write(dir, "library.yaml", redisSection + METHODS);
    try (AppProcess app = start(config)) {
      assertThat(app.call("find 6")).isEqualTo("Book{6, title-6} queries=1");
      assertThat(app.call("find 6")).isEqualTo("Book{6, title-6} queries=1");

      Configs.write(dir, "library.yaml", redisSection + """
          methods:
            - method: com.acme.library.JdbcBookRepository#find(long)
              evictOn:
                - method: com.acme.library.JdbcBookRepository#save(com.acme.library.Book)
                  key: args[0].id
          """);
      app.awaitLog("+ com.acme.library.JdbcBookRepository#find(long)"); // logged once the class is transformed again

      assertThat(app.call("find 6")).as("its keys now live under its own name").isEqualTo("Book{6, title-6} queries=2");
      assertThat(app.call("save 6 Emma")).isEqualTo("saved queries=2");
      assertThat(app.call("find 6")).isEqualTo("Book{6, Emma} queries=3");
      assertThat(app.call("find 6")).isEqualTo("Book{6, Emma} queries=3");
    }
  }

  @Test
  void genericInterfaceMethod_isCachedInTheMethodItsBridgeCalls(RedisEndpoint redis) throws Exception {
    try (AppProcess app = library(redis)) {
      assertThat(app.call("byId 7")).isEqualTo("Book{7, title-7} queries=1");
      assertThat(app.call("byId 7")).isEqualTo("Book{7, title-7} queries=1");
      assertThat(app.call("byId 8")).isEqualTo("Book{8, title-8} queries=2");
    }
  }

  @Test
  void genericBaseClassReturningItsTypeVariable_isNotCached_soSubclassesNeverShareEntries(RedisEndpoint redis) throws Exception {
    try (AppProcess app = library(redis)) {
      assertThat(app.call("daos 4")).isEqualTo("Book{4, dao-title-4} author-4 loads=2");
      assertThat(app.call("daos 4")).isEqualTo("Book{4, dao-title-4} author-4 loads=4");
      assertThat(app.log()).contains("matches com.acme.library.AbstractDao#findById(java.lang.Long), which returns T,"
          + " a type variable of its class").doesNotContain("instrumented com.acme.library.AbstractDao");
    }
  }

  @Test
  void jdkProxy_isNotInstrumented_soItsHandlerRunsEveryTime(RedisEndpoint redis) throws Exception {
    try (AppProcess app = library(redis)) {
      assertThat(app.call("proxy 3")).isEqualTo("Book{3, title-3} handled=1 queries=1");
      assertThat(app.call("proxy 3")).isEqualTo("Book{3, title-3} handled=2 queries=1");
      assertThat(app.log()).contains("instrumented com.acme.library.JdbcBookRepository (3 cached, 1 evicting)")
          .doesNotContain("instrumented com.acme.library.$Proxy");
    }
  }

  @Test
  void abstractMethod_isCachedInItsImplementation_notInAnOverrideThatCallsIt(RedisEndpoint redis) throws Exception {
    try (AppProcess app = library(redis)) {
      assertThat(app.call("price 2")).isEqualTo("200 intercepted=1 computations=1");
      assertThat(app.call("price 2")).isEqualTo("200 intercepted=2 computations=1");
      assertThat(app.log())
          .contains("instrumented com.acme.library.ListPrice (1 cached, 0 evicting)")
          .doesNotContain("instrumented com.acme.library.InterceptedListPrice");
    }
  }
}
