package io.cacheagent.instrument;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.ProtectionDomain;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ClassLoadGateTest {

  private static final byte[] BYTES = {1, 2, 3};
  private static final byte[] TRANSFORMED = {4, 5, 6};
  private static final ClassLoader APP = ClassLoader.getSystemClassLoader();

  /** Byte Buddy's place: transforms every class it is given. */
  private static final ModuleAwareTransformer BYTE_BUDDY = new ModuleAwareTransformer() {
    @Override
    byte[] transform(Object module, ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain,
        byte[] classFile) {
      return TRANSFORMED;
    }
  };

  @Test
  void namedClass_isHeldUntilOpened_thenTransformed() throws Exception {
    ClassLoadGate gate = new ClassLoadGate(Set.of("com/acme/Repo"), 60_000);

    CompletableFuture<byte[]> loading = CompletableFuture.supplyAsync(() -> load(gate, "com/acme/Repo"));
    Thread.sleep(200);
    assertThat(loading).isNotDone();

    gate.open(BYTE_BUDDY);
    assertThat(loading.get(10, TimeUnit.SECONDS)).isEqualTo(TRANSFORMED);
    assertThat(gate.mayHaveLetNamedClassesPass()).isFalse();
  }

  @Test
  void classNotNamed_passesUntouchedAtOnce_beforeOpening() {
    ClassLoadGate gate = new ClassLoadGate(Set.of("com/acme/Repo"), 60_000);

    assertThat(load(gate, "com/acme/Other")).isNull();
  }

  @Test
  void everyClass_goesToByteBuddy_onceOpened() {
    ClassLoadGate gate = new ClassLoadGate(Set.of("com/acme/Repo"), 60_000);
    gate.open(BYTE_BUDDY);

    assertThat(load(gate, "com/acme/ImplementsAConfiguredInterface")).isEqualTo(TRANSFORMED);
  }

  @Test
  void holdThatRunsOut_letsTheClassLoadUntouched_andNoLaterClassWaits() {
    ClassLoadGate gate = new ClassLoadGate(Set.of("com/acme/Repo", "com/acme/Admin"), 1_000);

    assertThat(load(gate, "com/acme/Repo")).isNull();
    assertThat(gate.mayHaveLetNamedClassesPass()).isTrue();

    long started = System.nanoTime();
    assertThat(load(gate, "com/acme/Admin")).isNull();
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).as("not held for another second").isLessThan(1_000);
  }

  @Test
  void closedGate_letsNamedClassesPassUntouched() {
    ClassLoadGate gate = new ClassLoadGate(Set.of("com/acme/Repo"), 60_000);
    gate.close();

    assertThat(load(gate, "com/acme/Repo")).isNull();
    assertThat(gate.mayHaveLetNamedClassesPass()).isTrue();
  }

  @Test
  void namedClassTransformedAgain_orOfThePlatformLoader_isNotHeld() throws Exception {
    ClassLoadGate gate = new ClassLoadGate(Set.of("com/acme/Repo", "java/sql/Date"), 60_000);

    assertThat(gate.transform(null, APP, "com/acme/Repo", Object.class, null, BYTES)).as("retransformed").isNull();
    assertThat(gate.transform(null, ClassLoader.getPlatformClassLoader(), "java/sql/Date", null, null, BYTES)).isNull();
  }

  @Test
  void heldThread_keepsItsInterrupt() throws Exception {
    ClassLoadGate gate = new ClassLoadGate(Set.of("com/acme/Repo"), 60_000);
    CompletableFuture<Boolean> interruptedAfter = new CompletableFuture<>();
    Thread loader = new Thread(() -> {
      load(gate, "com/acme/Repo");
      interruptedAfter.complete(Thread.currentThread().isInterrupted());
    });
    loader.start();
    Thread.sleep(100);
    loader.interrupt();
    Thread.sleep(100);
    assertThat(interruptedAfter).as("still held after an interrupt").isNotDone();

    gate.open(BYTE_BUDDY);
    assertThat(interruptedAfter.get(10, TimeUnit.SECONDS)).isTrue();
  }

  private static byte[] load(ClassLoadGate gate, String name) {
    try {
      return gate.transform(null, APP, name, null, null, BYTES);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
