package io.cacheagent;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.security.cert.Certificate;
import java.util.Collections;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Loads the agent's implementation (its own code, Byte Buddy, Lettuce, Netty, Reactor, Kryo,
 * SnakeYAML, Caffeine) from the agent jar, where the build stored it under {@code
 * io/cacheagent/inst/} with {@code .class} renamed to {@code .classdata}.
 *
 * <p>The application's class loaders cannot find those classes at all: neither the system loader,
 * which has the agent jar on its path, nor the bootstrap loader, which has it appended. Only the
 * bridge in {@code io.cacheagent.bootstrap} and this launcher are ordinary class files. The parent
 * is the platform loader (on Java 8 the extension loader), so the implementation sees the JDK and
 * the bridge, never the app.
 */
final class IsolatedClassLoader extends ClassLoader {

  static final String PREFIX = "io/cacheagent/inst/";
  /**
   * Where the build put the classes that replace some of {@link #PREFIX} on Java 8 (Caffeine 2.9
   * for Caffeine 3, which needs Java 11).
   */
  static final String JAVA_8_PREFIX = "io/cacheagent/inst-java8/";
  /** The packages whose classes Java 8 reads from {@link #JAVA_8_PREFIX} only. */
  private static final String JAVA_8_ONLY = "io.cacheagent.shaded.caffeine.";

  static {
    registerAsParallelCapable();
  }

  private final JarFile jar;
  private final boolean java8 = System.getProperty("java.specification.version", "").startsWith("1.");
  private final String jarUrl;
  private final ProtectionDomain domain;

  IsolatedClassLoader(File agentJar) throws IOException {
    super(platformLoader());
    this.jar = new JarFile(agentJar, false);
    this.jarUrl = "jar:" + agentJar.toURI() + "!/";
    this.domain =
        new ProtectionDomain(
            new CodeSource(agentJar.toURI().toURL(), (Certificate[]) null), null, this, null);
  }

  /**
   * Fails unless {@code jar} is the built agent jar. The launcher finds its jar through its own
   * class, so a copy of the agent's classes earlier on the application's class path would
   * otherwise put the wrong jar on the bootstrap path.
   */
  static void checkIsAgentJar(File jar) throws IOException {
    try (JarFile candidate = new JarFile(jar, false)) {
      if (candidate.getJarEntry(PREFIX + Launcher.INSTALLER.replace('.', '/') + ".classdata") == null) {
        throw new IllegalStateException(jar + " holds io.cacheagent.CacheAgent but is not the built cache-agent.jar"
            + " (is a copy of the agent's classes on the application's class path?)");
      }
    }
  }

  @Override
  protected Class<?> findClass(String name) throws ClassNotFoundException {
    String path = name.replace('.', '/') + ".classdata";
    JarEntry entry = java8 ? jar.getJarEntry(JAVA_8_PREFIX + path) : null;
    if (entry == null && !(java8 && name.startsWith(JAVA_8_ONLY))) { // Caffeine 3 cannot load on 8: not found, plainly
      entry = jar.getJarEntry(PREFIX + path);
    }
    if (entry == null) {
      throw new ClassNotFoundException(name);
    }
    byte[] bytes;
    try (InputStream in = jar.getInputStream(entry)) {
      bytes = readFully(in, (int) entry.getSize());
    } catch (IOException e) {
      throw new ClassNotFoundException(name, e);
    }
    definePackageOf(name);
    return defineClass(name, bytes, 0, bytes.length, domain);
  }

  private void definePackageOf(String className) {
    int dot = className.lastIndexOf('.');
    if (dot > 0) {
      String packageName = className.substring(0, dot);
      if (getPackage(packageName) == null) { // the agent's packages are in no parent
        try {
          definePackage(packageName, null, null, null, null, null, null, null);
        } catch (IllegalArgumentException raced) {
          // another thread defined it first
        }
      }
    }
  }

  private static byte[] readFully(InputStream in, int sizeIfKnown) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(sizeIfKnown > 0 ? sizeIfKnown : 8192);
    byte[] buffer = new byte[8192];
    for (int read; (read = in.read(buffer)) != -1; ) {
      bytes.write(buffer, 0, read);
    }
    return bytes.toByteArray();
  }

  /**
   * The JDK's loader for its classes outside the boot loader, so that the implementation sees the
   * JDK (java.sql, java.net.http...) and nothing of the application: the platform loader on Java 9
   * and later, the extension loader on Java 8. This class may use only the JDK, hence reflection.
   */
  private static ClassLoader platformLoader() {
    try {
      return (ClassLoader) ClassLoader.class.getMethod("getPlatformClassLoader").invoke(null);
    } catch (NoSuchMethodException java8) {
      ClassLoader loader = ClassLoader.getSystemClassLoader(); // the extension loader is the one below the boot loader
      while (loader.getParent() != null) {
        loader = loader.getParent();
      }
      return loader;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("getPlatformClassLoader", e);
    }
  }

  @Override
  protected URL findResource(String name) {
    String path = PREFIX + (name.endsWith(".class")
        ? name.substring(0, name.length() - ".class".length()) + ".classdata"
        : name);
    if (jar.getJarEntry(path) == null) {
      return null;
    }
    try {
      return new URL(jarUrl + path);
    } catch (MalformedURLException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  protected Enumeration<URL> findResources(String name) {
    URL url = findResource(name);
    return url == null ? Collections.emptyEnumeration() : Collections.enumeration(Collections.singletonList(url));
  }
}
