package com.acme.jta;

import jakarta.transaction.TransactionManager;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * An application that manages its transactions through JTA, without Spring (Narayana, standalone,
 * its registry bound in the {@code java:} namespace by {@link com.acme.jta.naming.java.javaURLContextFactory}), driven one command per line:
 * <ul>
 *   <li>{@code price SKU}, {@code set SKU VALUE}: outside transactions;
 *   <li>{@code set-in-transaction-read-before-commit SKU VALUE}: sets the price in a transaction
 *       and, after the write returned and before the commit, reads it from another thread;
 *   <li>{@code read-own-write-and-roll-back SKU VALUE}: sets the price in a transaction, reads it
 *       there (the uncommitted value), and rolls back;
 *   <li>{@code asked-remote-naming}: whether {@link RemoteNamingFactory} was asked for a context.
 * </ul>
 * Each answer ends with {@code loads=N}, the number of times the price was read from the book.
 */
public final class JtaApp {

  private JtaApp() {}

  public static void main(String[] args) throws Exception {
    TransactionManager transactions = com.arjuna.ats.jta.TransactionManager.transactionManager();
    PriceBook book = new PriceBook(transactions);
    PriceService prices = new PriceService(book);
    book.set("tea", 3);
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    System.out.println("started");
    for (String line = in.readLine(); line != null && !line.equals("quit"); line = in.readLine()) {
      String[] words = line.split(" ");
      String answer = switch (words[0]) {
        case "price" -> String.valueOf(prices.price(words[1]));
        case "set" -> {
          prices.setPrice(words[1], Long.parseLong(words[2]));
          yield "set";
        }
        case "set-in-transaction-read-before-commit" -> {
          transactions.begin();
          prices.setPrice(words[1], Long.parseLong(words[2]));
          long seen = CompletableFuture.supplyAsync(() -> {
            try {
              return prices.price(words[1]);
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          }).get();
          transactions.commit();
          yield "read " + seen + " before the commit";
        }
        case "read-own-write-and-roll-back" -> {
          transactions.begin();
          prices.setPrice(words[1], Long.parseLong(words[2]));
          long seen = prices.price(words[1]);
          transactions.rollback();
          yield "read " + seen + " and rolled back";
        }
        case "asked-remote-naming" -> String.valueOf(RemoteNamingFactory.asked);
        default -> "unknown command " + words[0];
      };
      System.out.println(answer + " loads=" + prices.loads());
    }
    System.exit(0);
  }
}
