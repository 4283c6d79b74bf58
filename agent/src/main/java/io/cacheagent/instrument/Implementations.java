package io.cacheagent.instrument;

import io.cacheagent.config.MethodSignature;
import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.scaffold.MethodGraph;

/*
 * A signature on an interface or abstract method applies to the methods that implement it. This
 * finds them in one class:
 *
 * - declared in that class, concrete, neither bridge nor synthetic;
 * - overriding the named method, also through generics (Repo<T>#find(java.lang.Object) is
 *   implemented by ProductRepo#find(java.lang.Long): Byte Buddy's method graph joins the two);
 * - the first implementation on the way down: a method that overrides a concrete method of a
 *   superclass is not one (as for signatures on concrete classes), which keeps Spring's CGLIB
 *   proxies and Hibernate's out: a hit there would skip the proxy's interceptors (transactions,
 *   security checks); the call through the proxy is cached once, in the target.
 *
 * JDK dynamic proxies (subclasses of java.lang.reflect.Proxy) and synthetic classes (lambdas)
 * implement nothing here: a hit in a proxy would skip its invocation handler.
 */
final class Implementations {

  private Implementations() {}

  /** The ancestor of {@code type} named {@code name}, or null; resolves through the pool that described {@code type}. */
  static TypeDescription ancestor(TypeDefinition type, String name) {
    return ancestor(type, name, 0);
  }

  private static TypeDescription ancestor(TypeDefinition type, String name, int depth) {
    if (type == null || depth > 32) {
      return null;
    }
    List<TypeDefinition> parents = new ArrayList<>(type.getInterfaces().asErasures());
    if (type.getSuperClass() != null) {
      parents.add(type.getSuperClass().asErasure());
    }
    for (TypeDefinition parent : parents) {
      if (parent.asErasure().getName().equals(name)) {
        return parent.asErasure();
      }
      TypeDescription further = Supertypes.isJdkType(parent.getTypeName()) ? null : ancestor(parent, name, depth + 1);
      if (further != null) {
        return further;
      }
    }
    return null;
  }

  /** Whether {@code ancestor} declares an abstract method that {@code signature} names. */
  static boolean namesAbstractMethod(TypeDescription ancestor, MethodSignature signature) {
    for (MethodDescription.InDefinedShape method : ancestor.getDeclaredMethods()) {
      if (method.isAbstract() && InstrumentationPlan.matches(signature, method)) {
        return true;
      }
    }
    return false;
  }

  /** Whether classes of this kind may take advice for an inherited signature at all. */
  static boolean mayImplement(TypeDescription type) {
    TypeDescription.Generic superClass = type.getSuperClass();
    return !type.isSynthetic() && (superClass == null || !superClass.asErasure().getName().equals("java.lang.reflect.Proxy"));
  }

  /** The methods of {@code type} that implement the abstract method {@code signature} names on one of its ancestors. */
  static List<MethodDescription.InDefinedShape> in(TypeDescription type, MethodSignature signature) {
    List<MethodDescription.InDefinedShape> found = new ArrayList<>();
    MethodGraph.Linked graph = MethodGraph.Compiler.DEFAULT.compile((TypeDefinition) type);
    MethodGraph superClassGraph = graph.getSuperClassGraph();
    for (MethodGraph.Node node : graph.listNodes()) {
      MethodDescription method = node.getRepresentative();
      if (!node.getSort().isResolved() || !method.getDeclaringType().asErasure().equals(type) || !method.isMethod()
          || method.isAbstract() || method.isNative() || method.isBridge() || method.isSynthetic()
          || !method.getInternalName().equals(signature.methodName()) || !anyTypeMatches(signature, node)) {
        continue;
      }
      MethodGraph.Node overridden = superClassGraph.locate(method.asSignatureToken());
      if (overridden.getSort().isResolved() && !overridden.getRepresentative().isAbstract()) {
        continue; // overrides an implementation: that one is the implementing method
      }
      found.add(method.asDefined());
    }
    return found;
  }

  /** Whether one of the erasures a method is known by (its own, and those its bridges stand for) has the signature's parameters. */
  private static boolean anyTypeMatches(MethodSignature signature, MethodGraph.Node node) {
    List<String> expected = signature.parameterTypes();
    if (expected == null) {
      return true;
    }
    for (MethodDescription.TypeToken token : node.getMethodTypes()) {
      List<TypeDescription> actual = token.getParameterTypes();
      if (actual.size() != expected.size()) {
        continue;
      }
      boolean same = true;
      for (int i = 0; i < actual.size() && same; i++) {
        same = actual.get(i).getActualName().equals(expected.get(i));
      }
      if (same) {
        return true;
      }
    }
    return false;
  }
}
