package com.acme.library;

/** A value the fixture library caches. */
public class Book {
  private final long id;
  private final String title;

  public Book(long id, String title) {
    this.id = id;
    this.title = title;
  }

  public long getId() {
    return id;
  }

  public String getTitle() {
    return title;
  }

  @Override
  public String toString() {
    return "Book{" + id + ", " + title + "}";
  }
}
