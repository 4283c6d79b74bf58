package com.acme.history;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Several threads that read and write a few accounts at random for a while, and record each
 * operation with the times it began and ended ({@code System.nanoTime}, which on Linux is one clock
 * for every process of the machine) for the history checker.
 *
 * <p>Arguments: JDBC URL, table, seconds, threads, accounts, history file, and {@code reads-only}
 * optionally (no writes: what this JVM reads of others' writes it learns from Redis alone, not
 * from its own evictions). Starts on a line on
 * standard input, so that all JVMs start together. Writes one line per
 * operation: {@code R|W account beganNanos endedNanos version}; an operation that threw is not
 * recorded (its outcome is unknown).
 */
public class HistoryApp {

  public static void main(String[] args) throws Exception {
    String url = args[0];
    String table = args[1];
    System.out.println("started");
    new BufferedReader(new InputStreamReader(System.in)).readLine(); // "go", once every JVM is ready
    long endNanos = System.nanoTime() + Long.parseLong(args[2]) * 1_000_000_000L;
    int threads = Integer.parseInt(args[3]);
    int accounts = Integer.parseInt(args[4]);
    Path historyFile = Paths.get(args[5]);
    boolean readsOnly = args.length > 6 && args[6].equals("reads-only");

    List<Connection> connections = new ArrayList<>();
    ThreadLocal<Connection> connection = ThreadLocal.withInitial(() -> {
      try {
        Connection opened = DriverManager.getConnection(url);
        synchronized (connections) {
          connections.add(opened);
        }
        return opened;
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    });
    Accounts repository = new Accounts(table, connection);
    List<StringBuilder> histories = new ArrayList<>();
    List<Thread> workers = new ArrayList<>();
    int[] failures = new int[threads];
    for (int t = 0; t < threads; t++) {
      StringBuilder history = new StringBuilder();
      histories.add(history);
      int index = t;
      workers.add(new Thread(() -> {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (System.nanoTime() < endNanos) {
          int id = random.nextInt(accounts);
          boolean write = !readsOnly && random.nextInt(5) == 0;
          long began = System.nanoTime();
          try {
            long version = write ? repository.bump(id) : repository.version(id);
            long ended = System.nanoTime();
            history.append(write ? 'W' : 'R').append(' ').append(id).append(' ').append(began).append(' ')
                .append(ended).append(' ').append(version).append('\n');
            if (random.nextInt(3) == 0) {
              Thread.sleep(random.nextInt(4));
            }
          } catch (Exception e) {
            failures[index]++;
          }
        }
      }, "worker-" + t));
    }
    workers.forEach(Thread::start);
    for (Thread worker : workers) {
      worker.join();
    }
    try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(historyFile))) {
      histories.forEach(out::print);
    }
    synchronized (connections) {
      for (Connection c : connections) {
        c.close();
      }
    }
    int failed = 0;
    for (int f : failures) {
      failed += f;
    }
    System.out.println("done failed=" + failed);
  }
}
