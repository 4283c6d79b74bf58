package io.cacheagent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code java -jar cache-agent.jar check} with the real jar, against the fixture shop's class path and a Spring Boot jar. */
class CheckIT {

  @TempDir
  Path dir;

  @Test
  void check_shopConfiguration_everySignatureMatches() throws Exception {
    Path config = Configs.write(dir, "shop.yaml", Configs.shop("redis://127.0.0.1:6379/0", "check"));

    Process check = check(config);
    String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(check.waitFor()).as(output).isZero();
    assertThat(output).contains("ok       methods[0].method \"com.acme.shop.ProductRepository#findById(long)\": matches"
        + " com.acme.shop.ProductRepository#findById(long)").endsWith("shop.yaml: 9 signatures, all match\n");
  }

  @Test
  void check_typo_isReportedWithTheClosestName_andExitsOne() throws Exception {
    Path config = Configs.write(dir, "typo.yaml", "methods:\n  - method: com.acme.shop.ProductRepository#findByld(long)\n");

    Process check = check(config);
    String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(check.waitFor()).as(output).isEqualTo(1);
    assertThat(output).isEqualTo("NO MATCH methods[0].method \"com.acme.shop.ProductRepository#findByld(long)\":"
        + " com.acme.shop.ProductRepository declares no method named findByld; closest: com.acme.shop.ProductRepository#findById(long)\n"
        + "typo.yaml: 1 signature, 1 does not match\n");
  }

  @Test
  void check_springBootExecutableJar_readsItsClassesAndNestedLibraries() throws Exception {
    Path jar = Path.of(System.getProperty("spring.boot.jar"));
    Path config = Configs.write(dir, "boot.yaml", """
        methods:
          - method: com.acme.boot.QuoteService#quote(java.lang.String)
          - method: com.acme.boot.CatalogService#describe(long)
          - method: com.acme.pricing.TaxTable#rate(java.lang.String)
        """);

    Process check = check(config, jar.toString());
    String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(check.waitFor()).as(output).isZero();
    assertThat(output).startsWith("read     " + jar + ": a Spring Boot jar, read from BOOT-INF/classes/ and ")
        .contains("ok       methods[1].method \"com.acme.boot.CatalogService#describe(long)\": com.acme.boot.CatalogService"
            + "#describe(long) is abstract (an interface); applies to com.acme.boot.CatalogServiceImpl#describe(long)")
        .contains("ok       methods[2].method \"com.acme.pricing.TaxTable#rate(java.lang.String)\": matches")
        .endsWith("boot.yaml: 3 signatures, all match\n");
  }

  @Test
  void check_cachedMethodReturningAnEntity_saysWhatItsEntriesHold() throws Exception {
    Path jar = Path.of(System.getProperty("spring.jpa.jar"));
    Path config = Configs.write(dir, "library.yaml", """
        methods:
          - method: com.acme.library.LibraryService#findAuthor(long)
        """);

    Process check = check(config, jar.toString());
    String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(check.waitFor()).as(output).isZero();
    assertThat(output).contains("note     methods[0].method \"com.acme.library.LibraryService#findAuthor(long)\":"
        + " com.acme.library.LibraryService#findAuthor(long) returns com.acme.library.Author, a JPA entity: an entry holds"
        + " its detached copy").endsWith("library.yaml: 1 signature, all match\n");
  }

  private static Process check(Path config) throws Exception {
    return check(config, AppProcess.appClasses().toString()); // the shop's classes, as an operator gives an app's
  }

  private static Process check(Path config, String classPath) throws Exception {
    return new ProcessBuilder(AppProcess.java(), "-jar", AppProcess.agentJar(),
        "check", config.toString(), classPath).redirectErrorStream(true).start();
  }
}
