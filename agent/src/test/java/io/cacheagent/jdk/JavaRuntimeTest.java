package io.cacheagent.jdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class JavaRuntimeTest {

  interface Greeter {
    String name();

    default String greeting(String word) {
      return word + ", " + name();
    }
  }

  @Test
  void release_readsBothFormatsOfTheSpecificationVersion_andTakesAnUnknownOneForNewer() {
    assertThat(JavaRuntime.release("1.8")).isEqualTo(8);
    assertThat(JavaRuntime.release("11")).isEqualTo(11);
    assertThat(JavaRuntime.release("25")).isEqualTo(25);
    assertThat(JavaRuntime.release("next")).isEqualTo(Integer.MAX_VALUE);
    assertThat(JavaRuntime.RELEASE).isEqualTo(Runtime.version().feature());
  }

  @Test
  void theLaterJdksMethods_areFound_onTheJdkOfTheBuild() {
    // a public lookup cannot find caller-sensitive methods (trySetAccessible, getPlatformClassLoader
    // before 24); they would then be taken for absent, as on Java 8
    assertThat(JavaRuntime.TRY_SET_ACCESSIBLE).isNotNull();
    assertThat(JavaRuntime.PRIVATE_LOOKUP_IN).isNotNull();
    assertThat(JavaRuntime.platformClassLoader()).isSameAs(ClassLoader.getPlatformClassLoader());
  }

  @Test
  void trySetAccessible_refusesAJdkInternalQuietly_andAllowsTheApplicationsOwn() throws Exception {
    assertThat(JavaRuntime.trySetAccessible(String.class.getDeclaredField("value"))).isFalse();
    assertThat(JavaRuntime.trySetAccessible(Greeting.class.getDeclaredField("word"))).isTrue();
  }

  private static final class Greeting {
    private final String word = "hello";
  }

  @Test
  void isHidden_isTrueForALambdasClass_onTheJvmsThatHaveHiddenClasses() {
    Supplier<String> lambda = () -> "x";
    assertThat(JavaRuntime.isHidden(lambda.getClass())).isEqualTo(lambda.getClass().isHidden()).isTrue();
    assertThat(JavaRuntime.isHidden(String.class)).isFalse();
  }

  @Test
  void invokeDefault_callsTheInterfacesDefaultMethod_bothWays() throws Throwable {
    Method greeting = Greeter.class.getMethod("greeting", String.class);
    Greeter proxy = (Greeter) Proxy.newProxyInstance(Greeter.class.getClassLoader(), new Class<?>[] {Greeter.class},
        (self, method, args) -> method.getName().equals("name") ? "Ada" : JavaRuntime.invokeDefault(self, method, args));

    assertThat(proxy.greeting("Hello")).isEqualTo("Hello, Ada"); // InvocationHandler.invokeDefault on this JVM
    assertThat(JavaRuntime.invokeDefaultBefore16(proxy, greeting, new Object[] {"Hi"})).isEqualTo("Hi, Ada");
  }
}
