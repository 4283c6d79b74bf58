package io.cacheagent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.cacheagent.testkit.RedisEndpoint;
import io.cacheagent.testkit.RedisExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A deploy that changes a cached class: entries written by the old shape must be misses, not
 * bytes decoded by position into the new class's fields.
 */
@ExtendWith(RedisExtension.class)
class ClassShapeIT {

  private static final String APP = """
      package com.acme.shapes;

      public class Catalog {
        static int computations;

        public static Item item(long id) {
          computations++;
          return Item.of(id);
        }

        public static void main(String[] args) throws Exception {
          java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in));
          System.out.println("started");
          for (String line = in.readLine(); line != null && !line.equals("quit"); line = in.readLine()) {
            System.out.println(item(Long.parseLong(line.split(" ")[1])) + " computations=" + computations);
          }
        }
      }
      """;

  /** Version 1: fields name and sku. */
  private static final String ITEM_V1 = """
      package com.acme.shapes;

      public class Item {
        private final String name;
        private final String sku;

        Item(String name, String sku) { this.name = name; this.sku = sku; }

        static Item of(long id) { return new Item("item-" + id, "SKU-" + id); }

        @Override public String toString() { return "Item{name=" + name + ", sku=" + sku + "}"; }
      }
      """;

  /** Version 2: sku replaced by owner, a field of the same type at the same position. */
  private static final String ITEM_V2 = """
      package com.acme.shapes;

      public class Item {
        private final String name;
        private final String owner;

        Item(String name, String owner) { this.name = name; this.owner = owner; }

        static Item of(long id) { return new Item("item-" + id, "owner-" + id); }

        @Override public String toString() { return "Item{name=" + name + ", owner=" + owner + "}"; }
      }
      """;

  @TempDir
  Path dir;

  @Test
  void entryOfTheOldClassShape_isAMissAfterTheDeploy(RedisEndpoint redis) throws Exception {
    Path config = Configs.write(dir, "shapes.yaml", """
        redis:
          uri: %s
          keyPrefix: shapes-%d
          commandTimeout: 500ms
        methods:
          - method: com.acme.shapes.Catalog#item(long)
        """.formatted(redis.uri(), System.nanoTime()));

    try (AppProcess v1 = AppProcess.start(config, List.of(), compile("v1", ITEM_V1), "com.acme.shapes.Catalog", Map.of())) {
      v1.awaitAgentReady(true);
      assertThat(v1.call("item 1")).isEqualTo("Item{name=item-1, sku=SKU-1} computations=1");
      assertThat(v1.call("item 1")).isEqualTo("Item{name=item-1, sku=SKU-1} computations=1");
    }
    try (AppProcess v2 = AppProcess.start(config, List.of(), compile("v2", ITEM_V2), "com.acme.shapes.Catalog", Map.of())) {
      v2.awaitAgentReady(true);

      assertThat(v2.call("item 1")).isEqualTo("Item{name=item-1, owner=owner-1} computations=1");
      assertThat(v2.call("item 1")).isEqualTo("Item{name=item-1, owner=owner-1} computations=1");
    }
  }

  private String compile(String version, String item) throws Exception {
    Path sources = Files.createDirectories(dir.resolve(version + "-src/com/acme/shapes"));
    Path classes = dir.resolve(version + "-classes");
    Javac.compile(classes, null, List.of(Files.writeString(sources.resolve("Catalog.java"), APP),
        Files.writeString(sources.resolve("Item.java"), item)));
    return classes.toString();
  }
}
