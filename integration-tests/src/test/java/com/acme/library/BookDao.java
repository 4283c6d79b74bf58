package com.acme.library;

/** One binding of AbstractDao. */
public class BookDao extends AbstractDao<Book> {
  @Override
  protected Book load(long id) {
    return new Book(id, "dao-title-" + id);
  }
}
