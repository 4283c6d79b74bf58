package com.acme.shop;

import java.math.BigDecimal;

/** A product of the fixture shop: final fields, no no-arg constructor. */
public final class Product {
  private final long id;
  private final String name;
  private final BigDecimal price;

  public Product(long id, String name, BigDecimal price) {
    this.id = id;
    this.name = name;
    this.price = price;
  }

  public long getId() {
    return id;
  }

  public String getName() {
    return name;
  }

  public BigDecimal getPrice() {
    return price;
  }

  @Override
  public String toString() {
    return "Product{" + id + "," + name + "," + price + "}";
  }
}
