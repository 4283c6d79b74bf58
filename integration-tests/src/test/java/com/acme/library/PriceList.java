package com.acme.library;

/** An abstract class with an abstract method the configuration names. */
public abstract class PriceList {
  public abstract long price(long id);
}
