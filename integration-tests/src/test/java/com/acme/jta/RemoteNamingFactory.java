package com.acme.jta;

import com.acme.jta.naming.java.javaURLContextFactory;
import java.util.Hashtable;
import javax.naming.Context;
import javax.naming.spi.InitialContextFactory;

/**
 * The initial context factory of a remote naming client (as a client of remote EJBs or JMS sets
 * {@code java.naming.factory.initial}): it would answer the registry's name, and it remembers
 * whether anyone asked it.
 */
public final class RemoteNamingFactory implements InitialContextFactory {

  static volatile boolean asked;

  @Override
  public Context getInitialContext(Hashtable<?, ?> environment) {
    asked = true;
    return (Context) new javaURLContextFactory().getObjectInstance(null, null, null, environment);
  }
}
