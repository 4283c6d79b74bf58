package com.acme.bank;

import java.io.BufferedReader;
import java.io.InputStreamReader;

/** Reads commands from standard input and answers each with one line. */
public class BankApp {
  public static void main(String[] args) throws Exception {
    Ledger ledger = new Ledger();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
    System.out.println("started");
    for (String line = in.readLine(); line != null && !line.equals("quit"); line = in.readLine()) {
      String[] words = line.split(" ");
      if (words[0].equals("module")) {
        System.out.println(Ledger.class.getModule());
        continue;
      }
      long id = Long.parseLong(words[1]);
      switch (words[0]) {
        case "balance" -> System.out.println(ledger.balance(id) + " reads=" + ledger.reads());
        case "deposit" -> {
          ledger.deposit(new Account(id, Long.parseLong(words[2])));
          System.out.println("deposited reads=" + ledger.reads());
        }
        default -> System.out.println("unknown command " + words[0]);
      }
    }
  }
}
