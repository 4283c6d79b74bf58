package io.cacheagent.gadget;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stands for a deserialization gadget: a class on the application's class path whose code runs
 * while a map holding it as a key is rebuilt (HashMap calls hashCode). Counts every time that
 * happens, so a test can show that refused bytes never got that far. Its package is outside every
 * allow list the tests build.
 */
public final class Gadget {

  /** Times any Gadget's hashCode ran, e.g. during deserialization of a map. */
  public static final AtomicInteger TRIGGERED = new AtomicInteger();

  private final String command;

  public Gadget(String command) {
    this.command = command;
  }

  @Override
  public int hashCode() {
    TRIGGERED.incrementAndGet();
    return command.hashCode();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Gadget gadget && gadget.command.equals(command);
  }
}
