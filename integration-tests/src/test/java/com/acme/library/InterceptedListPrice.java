package com.acme.library;

/**
 * Overrides the implementation and calls it, as Spring's CGLIB proxies do: its own body must run
 * on every call (a proxy's interceptors), only the implementation's is cached.
 */
public class InterceptedListPrice extends ListPrice {
  static int intercepted;

  @Override
  public long price(long id) {
    intercepted++;
    return super.price(id);
  }
}
