package com.acme.jta;

import java.util.concurrent.atomic.AtomicInteger;

/** The service the agent caches: a read, and the write that makes it stale. */
public class PriceService {

  private final PriceBook book;
  private final AtomicInteger loads = new AtomicInteger();

  PriceService(PriceBook book) {
    this.book = book;
  }

  public long price(String sku) throws Exception {
    loads.incrementAndGet();
    return book.get(sku);
  }

  public void setPrice(String sku, long price) throws Exception {
    book.set(sku, price);
  }

  int loads() {
    return loads.get();
  }
}
