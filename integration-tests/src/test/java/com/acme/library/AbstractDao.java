package com.acme.library;

/**
 * A generic base class that implements the configured Repository#findById for every subclass: it
 * returns T, which each subclass binds differently, so it must not be cached (an AuthorDao would
 * be served a cached Book).
 */
public abstract class AbstractDao<T> implements Repository<T, Long> {
  int loads;

  @Override
  public T findById(Long id) {
    loads++;
    return load(id);
  }

  protected abstract T load(long id);
}
