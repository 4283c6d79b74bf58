package com.acme.library;

import java.util.HashMap;
import java.util.Map;

/** The one implementation: counts its "queries" so that tests see what the cache saved. */
public class JdbcBookRepository implements BookRepository, BookLookup {
  private final Map<Long, String> titles = new HashMap<>();
  int queries;

  @Override
  public Book find(long id) {
    queries++;
    return new Book(id, titles.getOrDefault(id, "title-" + id));
  }

  @Override
  public Book findById(Long id) {
    queries++;
    return new Book(id, titles.getOrDefault(id, "title-" + id));
  }

  @Override
  public Book lookup(long id) {
    return find(id);
  }

  @Override
  public void save(Book book) {
    titles.put(book.getId(), book.getTitle());
  }
}
