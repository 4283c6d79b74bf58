package com.acme.shop;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A "legacy" app driven line by line over standard input, one answer line per command:
 * {@code find 1}, {@code search product 2}, {@code save 1 newname}, {@code saveBroken 1},
 * {@code deleteAll}, {@code fail 1}, {@code price 3}, {@code ids}, {@code queries}.
 */
public final class ShopApp {

  private ShopApp() {}

  public static void main(String[] args) throws Exception {
    ProductRepository repository = new ProductRepository();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    System.out.println("started");
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      String[] words = line.strip().split(" ");
      if (words[0].equals("quit")) {
        return;
      }
      String answer;
      try {
        answer = switch (words[0]) {
          case "find" -> String.valueOf(repository.findById(Long.parseLong(words[1])));
          case "search" -> String.valueOf(repository.search(words[1], Integer.parseInt(words[2])));
          case "save" -> {
            repository.save(new Product(Long.parseLong(words[1]), words[2], BigDecimal.ONE));
            yield "saved";
          }
          case "saveBroken" -> {
            repository.saveBroken(new Product(Long.parseLong(words[1]), "broken", BigDecimal.ONE));
            yield "saved";
          }
          case "deleteAll" -> {
            repository.deleteAll();
            yield "deleted";
          }
          case "fail" -> String.valueOf(repository.failing(Long.parseLong(words[1])));
          case "price" -> String.valueOf(ProductRepository.priceOf(Integer.parseInt(words[1])));
          case "ids" -> Arrays.toString(repository.ids());
          case "queries" -> String.valueOf(ProductRepository.QUERIES.get());
          default -> "unknown command " + words[0];
        };
      } catch (RuntimeException e) {
        answer = "threw " + e;
      }
      System.out.println(answer + " queries=" + ProductRepository.QUERIES.get());
    }
  }
}
