package io.cacheagent.instrument;

import io.cacheagent.config.MethodRule;
import io.cacheagent.jdk.Immutable;
import io.cacheagent.key.KeyExpression;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import net.bytebuddy.description.field.FieldDescription;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.utility.OpenedClassReader;

/**
 * Finds the state of the instance that a cached method's result may depend on and its key does not
 * name: fields of {@code this} that the method reads, of a value type (a number, a string, an enum, a
 * date, a locale...). Two instances of one service class (per region, per tenant) would otherwise
 * share entries whose answers differ. Fields of other types are taken as collaborators (the
 * repository a service calls), which a key need not name.
 *
 * <p>Best effort, and only a warning: only reads written as {@code this.field} in the method's own
 * body are seen, not those in the methods it calls.
 */
final class InstanceState {

  private static final Set<String> VALUE_DESCRIPTORS = Immutable.setOf(
      "Ljava/lang/String;", "Ljava/lang/Boolean;", "Ljava/lang/Character;", "Ljava/lang/Byte;", "Ljava/lang/Short;",
      "Ljava/lang/Integer;", "Ljava/lang/Long;", "Ljava/lang/Float;", "Ljava/lang/Double;", "Ljava/math/BigInteger;",
      "Ljava/math/BigDecimal;", "Ljava/util/Locale;", "Ljava/util/Currency;", "Ljava/util/UUID;", "Ljava/util/TimeZone;");

  private InstanceState() {}

  /**
   * A method visitor that passes every instruction on to {@code next} (which may be {@code null})
   * and, at the end of the method, gives {@code onEnd} the fields it read as {@code this.name},
   * by name with their descriptors.
   */
  static MethodVisitor recorder(MethodVisitor next, Consumer<Map<String, String>> onEnd) {
    return new MethodVisitor(OpenedClassReader.ASM_API, next) {
      private final Map<String, String> read = new LinkedHashMap<>();
      private boolean thisOnTop;

      @Override
      public void visitVarInsn(int opcode, int varIndex) {
        super.visitVarInsn(opcode, varIndex);
        thisOnTop = opcode == Opcodes.ALOAD && varIndex == 0; // slot 0 is this in an instance method
      }

      @Override
      public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
        super.visitFieldInsn(opcode, owner, name, descriptor);
        if (opcode == Opcodes.GETFIELD && thisOnTop) {
          read.putIfAbsent(name, descriptor);
        }
        thisOnTop = false;
      }

      @Override
      public void visitInsn(int opcode) {
        super.visitInsn(opcode);
        thisOnTop = false;
      }

      @Override
      public void visitIntInsn(int opcode, int operand) {
        super.visitIntInsn(opcode, operand);
        thisOnTop = false;
      }

      @Override
      public void visitLdcInsn(Object value) {
        super.visitLdcInsn(value);
        thisOnTop = false;
      }

      @Override
      public void visitTypeInsn(int opcode, String type) {
        super.visitTypeInsn(opcode, type);
        thisOnTop = false;
      }

      @Override
      public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
        super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
        thisOnTop = false;
      }

      @Override
      public void visitEnd() {
        super.visitEnd();
        try {
          onEnd.accept(read);
        } catch (Throwable t) {
          // Only a warning is lost: a throw here would make Byte Buddy drop the whole
          // transformation of the class, evictions of its write methods included.
        }
      }
    };
  }

  /** The fields of {@code this} that {@code method} reads, from its class file. */
  static Map<String, String> readBy(byte[] classFile, MethodDescription method) {
    Map<String, String> found = new LinkedHashMap<>();
    new ClassReader(classFile).accept(new ClassVisitor(OpenedClassReader.ASM_API) {
      @Override
      public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
        boolean wanted = name.equals(method.getInternalName()) && descriptor.equals(method.getDescriptor());
        return wanted ? recorder(null, found::putAll) : null;
      }
    }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
    return found;
  }

  /**
   * The warning for a cached instance method of {@code type} that read {@code fieldsRead}, or
   * {@code null} when its key names every value field it reads.
   */
  static String warning(TypeDescription type, MethodDescription method, MethodRule rule, Map<String, String> fieldsRead) {
    if (method.isStatic()) {
      return null;
    }
    Set<String> named = new TreeSet<>();
    if (rule.key() != null) {
      for (KeyExpression expression : rule.key()) {
        if (expression.startsAtInstance()) {
          named.add(expression.firstProperty());
        }
      }
    }
    List<String> unnamed = new ArrayList<>();
    for (Map.Entry<String, String> field : fieldsRead.entrySet()) {
      String name = field.getKey();
      if (!named.contains(name) && name.indexOf('$') < 0 && isValue(type, name, field.getValue())) {
        unnamed.add(name);
      }
    }
    if (unnamed.isEmpty()) {
      return null;
    }
    List<String> example = new ArrayList<>();
    unnamed.forEach(name -> example.add("this." + name));
    if (rule.key() != null) {
      rule.key().forEach(expression -> example.add(expression.toString()));
    } else {
      for (int i = 0; i < method.getParameters().size(); i++) {
        example.add("args[" + i + "]");
      }
    }
    List<String> quoted = example.stream().map(e -> e.startsWith("args") ? "\"" + e + "\"" : e).collect(Collectors.toList());
    return InstrumentationPlan.canonicalName(type, method) + " reads "
        + String.join(", ", unnamed.stream().map(n -> "this." + n).collect(Collectors.toList()))
        + ", which its key does not name: results may depend on the instance, and instances that differ there share"
        + " entries; if they do, add it to the key, e.g. key: [" + String.join(", ", quoted) + "]";
  }

  /** Whether a field of this descriptor holds a value that may tell instances apart, rather than a collaborator. */
  private static boolean isValue(TypeDescription type, String name, String descriptor) {
    if (descriptor.length() == 1 || VALUE_DESCRIPTORS.contains(descriptor) || descriptor.startsWith("Ljava/time/")) {
      return true;
    }
    FieldDescription field = declaredField(type, name);
    return field != null && field.getType().asErasure().isEnum();
  }

  private static FieldDescription declaredField(TypeDescription type, String name) {
    try {
      for (TypeDefinition t = type; t != null; t = t.getSuperClass()) {
        for (FieldDescription field : t.getDeclaredFields()) {
          if (field.getName().equals(name) && !field.isStatic()) {
            return field;
          }
        }
      }
    } catch (RuntimeException | LinkageError unresolvable) {
      // a supertype that cannot be read: its fields are not told apart
    }
    return null;
  }
}
