package com.acme.library;

/**
 * Package-private, so that a JDK proxy of it is defined in this package (a proxy of a public
 * interface goes to a {@code jdk.proxyN} module instead).
 */
interface BookLookup {
  Book lookup(long id);
}
