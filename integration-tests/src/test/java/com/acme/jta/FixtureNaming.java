package com.acme.jta;

import com.arjuna.ats.internal.jta.transaction.arjunacore.TransactionSynchronizationRegistryImple;
import java.lang.reflect.Proxy;
import java.util.Hashtable;
import javax.naming.Context;
import javax.naming.NameNotFoundException;
import javax.naming.OperationNotSupportedException;
import javax.naming.spi.InitialContextFactory;

/**
 * The naming service an application server gives its components, reduced to the one name the
 * agent looks up: {@code java:comp/TransactionSynchronizationRegistry}, bound to Narayana's.
 * Chosen with {@code -Djava.naming.factory.initial=com.acme.jta.FixtureNaming}.
 */
public final class FixtureNaming implements InitialContextFactory {

  private static final Object REGISTRY = new TransactionSynchronizationRegistryImple();

  @Override
  public Context getInitialContext(Hashtable<?, ?> environment) {
    return (Context) Proxy.newProxyInstance(FixtureNaming.class.getClassLoader(), new Class<?>[] {Context.class},
        (proxy, method, args) -> switch (method.getName()) {
          case "lookup" -> {
            if ("java:comp/TransactionSynchronizationRegistry".equals(String.valueOf(args[0]))) {
              yield REGISTRY;
            }
            throw new NameNotFoundException(String.valueOf(args[0]));
          }
          case "close" -> null;
          default -> throw new OperationNotSupportedException(method.getName());
        });
  }
}
