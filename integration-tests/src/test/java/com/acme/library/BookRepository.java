package com.acme.library;

/** The interface the configuration names; the implementation is never named. */
public interface BookRepository extends Repository<Book, Long> {
  Book find(long id);

  void save(Book book);
}
