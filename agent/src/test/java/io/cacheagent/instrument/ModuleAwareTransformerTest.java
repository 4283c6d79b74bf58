package io.cacheagent.instrument;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModuleAwareTransformerTest {

  private static final byte[] BYTES = {1, 2, 3};
  private static final ClassLoader APP = ClassLoader.getSystemClassLoader();

  /** Records the module of each class it is given. */
  private static final class Recording extends ModuleAwareTransformer {
    final List<Object> modules = new ArrayList<>();

    @Override
    byte[] transform(Object module, ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain,
        byte[] classFile) {
      modules.add(module == null ? "none" : module);
      return classFile;
    }
  }

  @Test
  void theJvmsTransformer_passesTheModule_orNoneForTheLegacyForm() throws Exception {
    Recording recording = new Recording();
    ClassFileTransformer jvm = recording.toJvm();
    Module module = APP.getUnnamedModule();

    assertThat(jvm.transform(module, APP, "com/acme/Repo", null, null, BYTES)).isSameAs(BYTES);
    assertThat(jvm.transform(APP, "com/acme/Repo", null, null, BYTES)).isSameAs(BYTES);

    assertThat(recording.modules).containsExactly(module, "none");
    assertThat(recording.toJvm()).as("one transformer to register and remove").isSameAs(jvm);
    assertThat(jvm.equals(jvm)).as("equals, which removeTransformer calls").isTrue();
    assertThat(jvm.equals(new Recording().toJvm())).isFalse();
    assertThat(jvm.hashCode()).isEqualTo(System.identityHashCode(jvm));
  }

  @Test
  void pass_handsTheModuleToTheNextTransformer() throws Exception {
    List<Object> seen = new ArrayList<>();
    ClassFileTransformer next = new ClassFileTransformer() {
      @Override
      public byte[] transform(Module module, ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain,
          byte[] classFile) {
        seen.add(module);
        return classFile;
      }
    };
    Module module = APP.getUnnamedModule();

    ModuleAwareTransformer.pass(next, module, APP, "com/acme/Repo", null, null, BYTES);
    ModuleAwareTransformer.pass(next, null, APP, "com/acme/Repo", null, null, BYTES);

    // without a module, the legacy form runs, whose default here has none to give
    assertThat(seen).hasSize(1).containsExactly(module);
  }
}
