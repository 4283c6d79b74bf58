package com.acme.jta.naming.java;

import com.arjuna.ats.internal.jta.transaction.arjunacore.TransactionSynchronizationRegistryImple;
import java.lang.reflect.Proxy;
import java.util.Hashtable;
import javax.naming.Context;
import javax.naming.Name;
import javax.naming.NameNotFoundException;
import javax.naming.OperationNotSupportedException;
import javax.naming.spi.ObjectFactory;

/**
 * The {@code java:} namespace an application server gives its components, served as servers serve
 * it (found by JNDI through {@code -Djava.naming.factory.url.pkgs=com.acme.jta.naming}), reduced
 * to the one name the agent looks up: {@code java:comp/TransactionSynchronizationRegistry}, bound
 * to Narayana's.
 */
public final class javaURLContextFactory implements ObjectFactory {

  private static final Object REGISTRY = new TransactionSynchronizationRegistryImple();

  @Override
  public Object getObjectInstance(Object reference, Name name, Context nameContext, Hashtable<?, ?> environment) {
    return Proxy.newProxyInstance(javaURLContextFactory.class.getClassLoader(), new Class<?>[] {Context.class},
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
