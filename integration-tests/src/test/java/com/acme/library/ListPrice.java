package com.acme.library;

/** Implements the abstract method: this is the method cached. */
public class ListPrice extends PriceList {
  static int computations;

  @Override
  public long price(long id) {
    computations++;
    return id * 100;
  }

  /** An overload PriceList does not declare: a signature on PriceList#price does not reach it. */
  public long price(String code) {
    return code.length();
  }
}
