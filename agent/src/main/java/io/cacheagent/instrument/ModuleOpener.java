package io.cacheagent.instrument;

import io.cacheagent.logging.AgentLog;
import java.lang.instrument.Instrumentation;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import net.bytebuddy.dynamic.loading.ClassInjector;
import net.bytebuddy.utility.JavaModule;

/*
 * Opens a named module whose classes the agent instruments to the agent, and only to it, so that no
 * one has to add --add-opens: the agent reads cached values (Kryo) and key properties (args[0].id)
 * by reflection, which a module that neither exports nor opens its packages refuses. This changes
 * nothing for the application's own code or any other module. Done once per module, when its first
 * class is instrumented. Values of classes from other named modules are not covered.
 */
final class ModuleOpener {

  private final Instrumentation instrumentation;
  private final JavaModule agent = JavaModule.ofType(ModuleOpener.class);
  /** The modules opened, as java.lang.Module objects (held weakly: a module may be unloaded with its loader). */
  private final Set<Object> opened = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

  ModuleOpener(Instrumentation instrumentation) {
    this.instrumentation = instrumentation;
  }

  /** Opens every package of {@code module} to the agent, if it is named and not opened before; none on Java 8. */
  void open(JavaModule module) {
    if (module == null || !module.isNamed() || !opened.add(module.unwrap())) {
      return;
    }
    Map<String, Set<JavaModule>> packages = new HashMap<>();
    for (String pkg : module.getPackages()) {
      packages.put(pkg, Collections.singleton(agent));
    }
    try {
      ClassInjector.UsingInstrumentation.redefineModule(instrumentation, module, Collections.emptySet(), packages, packages,
          Collections.emptySet(), Collections.emptyMap());
      AgentLog.info("opened module " + module.getActualName() + " to the agent, which reads its cached values and key properties");
    } catch (RuntimeException e) {
      AgentLog.warn("module:" + module.getActualName(), "cannot open module " + module.getActualName() + " to the agent ("
          + e + "); its values and key properties may not be readable, and such calls run uncached");
    }
  }
}
