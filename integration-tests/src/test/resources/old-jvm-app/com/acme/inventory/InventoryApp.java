package com.acme.inventory;

import java.io.BufferedReader;
import java.io.InputStreamReader;

/**
 * A service as old JVMs run them: compiled for Java 8 by OldJvmIT, with a read the configuration
 * asks the agent to cache. Every call of {@link #stockOf} counts as a query, so the test can tell
 * whether anything was served from a cache.
 */
public class InventoryApp {

  static int queries;

  public static int stockOf(long item) {
    queries++;
    return (int) (item * 10);
  }

  public static void main(String[] args) throws Exception {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, "UTF-8"));
    System.out.println("started");
    for (String line = in.readLine(); line != null && !line.equals("quit"); line = in.readLine()) {
      String[] words = line.split(" ");
      if (words[0].equals("stock")) {
        System.out.println("stock=" + stockOf(Long.parseLong(words[1])) + " on java " + System.getProperty("java.version")
            + " queries=" + queries);
      }
    }
  }
}
