package com.acme.library;

/** Another binding of AbstractDao: the same arguments, another type. */
public class AuthorDao extends AbstractDao<String> {
  @Override
  protected String load(long id) {
    return "author-" + id;
  }
}
