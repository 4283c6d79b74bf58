package com.acme.history;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A repository over one table of counters: {@code version} is cached, {@code bump} evicts it. Each
 * thread has its own connection, in autocommit: a bump is committed when it returns.
 */
public class Accounts {

  private final String table;
  private final ThreadLocal<Connection> connection;

  public Accounts(String table, ThreadLocal<Connection> connection) {
    this.table = table;
    this.connection = connection;
  }

  /** The account's version; sometimes slow after the read, so that loads overlap writes. */
  public long version(int id) throws SQLException, InterruptedException {
    long version;
    try (PreparedStatement select = connection.get().prepareStatement("SELECT version FROM " + table + " WHERE id = ?")) {
      select.setInt(1, id);
      try (ResultSet row = select.executeQuery()) {
        row.next();
        version = row.getLong(1);
      }
    }
    pauseSometimes(20);
    return version;
  }

  /** Adds one to the account's version and returns the new one. */
  public long bump(int id) throws SQLException, InterruptedException {
    pauseSometimes(5);
    try (PreparedStatement update = connection.get().prepareStatement(
        "UPDATE " + table + " SET version = version + 1 WHERE id = ? RETURNING version")) {
      update.setInt(1, id);
      try (ResultSet row = update.executeQuery()) {
        row.next();
        return row.getLong(1);
      }
    }
  }

  private static void pauseSometimes(int maxMillis) throws InterruptedException {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    if (random.nextInt(4) == 0) {
      Thread.sleep(random.nextInt(maxMillis + 1));
    }
  }
}
