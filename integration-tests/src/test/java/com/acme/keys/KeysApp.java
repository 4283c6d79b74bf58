package com.acme.keys;

import java.io.BufferedReader;
import java.io.InputStreamReader;

/** Reads commands from standard input and answers each with one line and the number of method runs. */
public class KeysApp {
  public static void main(String[] args) throws Exception {
    Catalog catalog = new Catalog();
    java.util.Map<String, RegionalPrices> regions = java.util.Map.of("eu", new RegionalPrices("eu"), "us", new RegionalPrices("us"));
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
    System.out.println("started");
    for (String line = in.readLine(); line != null && !line.equals("quit"); line = in.readLine()) {
      String[] words = line.split(" ");
      String answer = switch (words[0]) {
        case "describe" -> catalog.describe(Catalog.value(words[1], words[2]));
        case "render" -> catalog.render(new byte[Integer.parseInt(words[1])]);
        case "label" -> catalog.label(Catalog.SURROGATES.get(Integer.parseInt(words[1]))); // the text cannot travel on stdin
        case "quote" -> regions.get(words[1]).quote(Long.parseLong(words[2])) + " quotes=" + RegionalPrices.runs;
        case "headline" -> regions.get(words[1]).headline(Long.parseLong(words[2]));
        case "reprice" -> {
          regions.get(words[1]).reprice(Long.parseLong(words[2]));
          yield "repriced";
        }
        case "owner" -> catalog.owner(Long.parseLong(words[1]));
        case "rename" -> {
          catalog.rename(words[1]);
          yield "renamed";
        }
        case "touch" -> {
          catalog.touch(Long.parseLong(words[1]));
          yield "touched";
        }
        default -> "unknown command " + words[0];
      };
      System.out.println(answer + " runs=" + catalog.runs);
    }
  }
}
