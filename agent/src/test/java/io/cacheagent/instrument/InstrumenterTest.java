package io.cacheagent.instrument;

import static org.assertj.core.api.Assertions.assertThat;

import io.cacheagent.bootstrap.CacheBridge;
import io.cacheagent.codec.EntrySigning;
import io.cacheagent.config.AgentConfig;
import io.cacheagent.config.ClassNameScan;
import io.cacheagent.config.ConfigLoader;
import io.cacheagent.key.KeyNames;
import io.cacheagent.runtime.CacheRuntime;
import io.cacheagent.runtime.MethodTable;
import io.cacheagent.store.LocalStore;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import net.bytebuddy.agent.ByteBuddyAgent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The instrumentation in this JVM, installed with {@code ByteBuddyAgent}: what a configured class
 * does once loaded, without forking a JVM. Each test loads the fixture in a class loader of its
 * own, as an application's would, so that it is defined (or transformed again) afresh.
 */
class InstrumenterTest {

  private static final Instrumentation INSTRUMENTATION = ByteBuddyAgent.install();
  private static final String CONFIG = """
      methods:
        - method: io.cacheagent.fixture.Greeter#greet(long)
      """;

  private ClassLoadGate gate;

  @AfterEach
  void uninstall() {
    if (gate != null) {
      INSTRUMENTATION.removeTransformer(gate.toJvm());
    }
    CacheBridge.install(null);
  }

  @Test
  void configuredClass_loadedAfterTheAgent_isServedFromTheCacheFromItsSecondCall() throws Exception {
    install();
    Class<?> greeter = loadAfresh("io.cacheagent.fixture.Greeter");

    assertThat(greet(greeter, 7)).isEqualTo("hello 7");
    assertThat(greet(greeter, 7)).isEqualTo("hello 7");
    assertThat(greet(greeter, 8)).isEqualTo("hello 8");

    assertThat(calls(greeter)).as("the body ran once per id").hasValue(2);
  }

  @Test
  void configuredClass_loadedBeforeTheAgent_isTransformedAgain_andCached() throws Exception {
    Class<?> greeter = loadAfresh("io.cacheagent.fixture.Greeter");
    assertThat(greet(greeter, 7)).isEqualTo("hello 7");

    install();
    assertThat(greet(greeter, 7)).isEqualTo("hello 7");
    assertThat(greet(greeter, 7)).isEqualTo("hello 7");

    assertThat(calls(greeter)).as("once before the agent, once for its first miss").hasValue(2);
  }

  @Test
  void classTheConfigurationDoesNotName_isLeftAsItIs_whileANamedOneIsTransformed() throws Exception {
    install();
    ClassLoader application = new ClassLoader(InstrumenterTest.class.getClassLoader()) {};

    assertThat(transform(application, "io/cacheagent/fixture/RegionalPrices")).as("untouched").isNull();
    assertThat(transform(application, "io/cacheagent/fixture/Greeter")).as("transformed").isNotNull();
  }

  private byte[] transform(ClassLoader loader, String internalName) throws Exception {
    byte[] classFile;
    try (InputStream in = loader.getResourceAsStream(internalName + ".class")) {
      classFile = in.readAllBytes();
    }
    return gate.transform(loader.getUnnamedModule(), loader, internalName, null, null, classFile);
  }

  private void install() throws Exception {
    AgentConfig config = ConfigLoader.parse("test.yaml", CONFIG, Map.of());
    MethodTable table = new MethodTable(KeyNames.readable("test"), config.serializationAllow(), EntrySigning.OFF);
    CacheBridge.install(new CacheRuntime(table, new LocalStore(LocalStore.DEFAULT_MAX_BYTES)));
    gate = ClassLoadGate.register(INSTRUMENTATION, ClassNameScan.internalNames(CONFIG));
    Instrumenter.install(INSTRUMENTATION, config, table, gate);
  }

  private static String greet(Class<?> greeter, long id) throws Exception {
    return (String) greeter.getMethod("greet", long.class).invoke(greeter.getConstructor().newInstance(), id);
  }

  private static AtomicInteger calls(Class<?> greeter) throws Exception {
    return (AtomicInteger) greeter.getField("CALLS").get(null);
  }

  /**
   * Defines {@code className} in a new loader, a child of the test's own: the agent's transformer
   * leaves alone the classes of the loader that loaded the agent, which in a unit test is the
   * test's, and the advice finds the bridge through the parent.
   */
  private static Class<?> loadAfresh(String className) throws ClassNotFoundException {
    ClassLoader loader = new ClassLoader(InstrumenterTest.class.getClassLoader()) {
      @Override
      protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (!name.equals(className)) {
          return super.loadClass(name, resolve);
        }
        synchronized (getClassLoadingLock(name)) {
          Class<?> loaded = findLoadedClass(name);
          if (loaded == null) {
            try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
              byte[] bytes = in.readAllBytes();
              loaded = defineClass(name, bytes, 0, bytes.length);
            } catch (IOException e) {
              throw new ClassNotFoundException(name, e);
            }
          }
          return loaded;
        }
      }
    };
    return loader.loadClass(className);
  }
}
