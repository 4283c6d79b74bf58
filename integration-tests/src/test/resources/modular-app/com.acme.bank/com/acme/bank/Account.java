package com.acme.bank;

/** A cached value, package-private in a package the module neither exports nor opens. */
record Account(long id, long cents) {}
