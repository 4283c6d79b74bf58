package com.acme.web;

/** A slow lookup that only the web application's class loader can see (WEB-INF/classes). */
public class Catalog {
  private int lookups;

  public String title(long id) {
    lookups++;
    return "title-" + id;
  }

  public int lookups() {
    return lookups;
  }
}
