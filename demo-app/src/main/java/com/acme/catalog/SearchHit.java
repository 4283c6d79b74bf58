package com.acme.catalog;

/** One result of a text search. */
public record SearchHit(long id, String name) {}
