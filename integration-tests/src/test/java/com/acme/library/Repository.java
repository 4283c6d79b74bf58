package com.acme.library;

/** A generic repository interface, as legacy data layers have them: implementations see {@code ID} erased. */
public interface Repository<T, ID> {
  T findById(ID id);
}
