package io.cacheagent.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClassNameScanTest {

  @Test
  void internalNames_ofEverySignature_inBlockAndFlowStyle_quotedOrNot() {
    String yaml = """
        redis:
          uri: redis://127.0.0.1:6379/0   # a comment # with hashes
        methods:
          - method: com.acme.shop.ProductRepository#findById(long)
            evictOn:
              - method: "com.acme.shop.ProductAdmin#save(com.acme.shop.Product)"
                key: args[0].id
          - {method: 'com.acme.Outer$Inner#quote', enabled: false}
        """;

    assertThat(ClassNameScan.internalNames(yaml))
        .containsExactlyInAnyOrder("com/acme/shop/ProductRepository", "com/acme/shop/ProductAdmin", "com/acme/Outer$Inner");
  }

  @Test
  void internalNames_ofATextWithoutSignatures_isEmpty() {
    assertThat(ClassNameScan.internalNames("redis:\n  uri: redis://host:6379/0 # main\n")).isEmpty();
  }
}
