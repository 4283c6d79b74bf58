package com.acme.keys;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.util.HashMap;
import java.util.Map;

/** Reads commands from standard input and answers each with one line and the number of method runs. */
public class KeysApp {
  public static void main(String[] args) throws Exception {
    Catalog catalog = new Catalog();
    Map<String, RegionalPrices> regions = new HashMap<>();
    regions.put("eu", new RegionalPrices("eu"));
    regions.put("us", new RegionalPrices("us"));
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
    System.out.println("started");
    for (String line = in.readLine(); line != null && !line.equals("quit"); line = in.readLine()) {
      String[] words = line.split(" ");
      System.out.println(answer(catalog, regions, words) + " runs=" + catalog.runs);
    }
  }

  /** Java 8 syntax: KeysIT runs this app on Java 8 and 11 too. */
  private static String answer(Catalog catalog, Map<String, RegionalPrices> regions, String[] words) {
    switch (words[0]) {
      case "describe":
        return catalog.describe(Catalog.value(words[1], words[2]));
      case "render":
        return catalog.render(new byte[Integer.parseInt(words[1])]);
      case "label":
        return catalog.label(Catalog.SURROGATES.get(Integer.parseInt(words[1]))); // the text cannot travel on stdin
      case "quote":
        return regions.get(words[1]).quote(Long.parseLong(words[2])) + " quotes=" + RegionalPrices.runs;
      case "headline":
        return regions.get(words[1]).headline(Long.parseLong(words[2]));
      case "reprice":
        regions.get(words[1]).reprice(Long.parseLong(words[2]));
        return "repriced";
      case "owner":
        return catalog.owner(Long.parseLong(words[1]));
      case "rename":
        catalog.rename(words[1]);
        return "renamed";
      case "touch":
        catalog.touch(Long.parseLong(words[1]));
        return "touched";
      default:
        return "unknown command " + words[0];
    }
  }
}
