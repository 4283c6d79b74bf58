package io.cacheagent.codec;

import io.cacheagent.jdk.Immutable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/*
 * The classes a cache entry may hold: everything else is refused before Kryo loads it.
 *
 * Bytes in Redis are input from outside the JVM: anyone who can write to Redis can put any class
 * name there. Kryo would load the named class and build an instance of it, and a class from the
 * application's class path whose methods run during deserialization (hashCode of a map key,
 * compareTo of a sorted set's element) is a "gadget" that can be chained into code execution. So
 * names are checked against this list first, and a value holding anything else is not written
 * either (it could never be read back).
 *
 * Allowed: JDK value types and collections (no URL: its hashCode resolves host names), the
 * packages (and subpackages) of each cached method's own class (and of the class or interface its
 * rule names), its return type and type arguments, and what serialization.allow adds. A value type
 * of the application's own organisation (see forMethod) brings its package with subpackages; a
 * third-party one (a library's Page or Bag) its package alone, without subpackages: that takes in
 * what implements it beside it (PageImpl, Sort), while the subpackages where libraries keep their
 * machinery stay out, and with them the known gadgets (commons-collections' functors, map and
 * keyvalue packages). A name whose last segment starts with an upper-case letter is a class,
 * otherwise a package.
 */
public final class ClassAllowList {

  private static final Set<String> JDK_CLASSES = Immutable.setOf(
      "java.lang.Object", "java.lang.String", "java.lang.Boolean", "java.lang.Byte", "java.lang.Character",
      "java.lang.Short", "java.lang.Integer", "java.lang.Long", "java.lang.Float", "java.lang.Double",
      "java.math.BigDecimal", "java.math.BigInteger",
      "java.util.ArrayList", "java.util.LinkedList", "java.util.ArrayDeque", "java.util.HashMap", "java.util.LinkedHashMap",
      "java.util.TreeMap", "java.util.HashSet", "java.util.LinkedHashSet", "java.util.TreeSet", "java.util.EnumMap",
      "java.util.RegularEnumSet", "java.util.JumboEnumSet", "java.util.BitSet", "java.util.UUID", "java.util.Optional",
      "java.util.OptionalInt", "java.util.OptionalLong", "java.util.OptionalDouble", "java.util.Date", "java.util.Locale",
      "java.util.Currency", "java.util.KeyValueHolder", "java.util.AbstractMap$SimpleEntry",
      "java.util.AbstractMap$SimpleImmutableEntry", "java.util.Arrays$ArrayList",
      "java.util.concurrent.ConcurrentHashMap", "java.util.concurrent.CopyOnWriteArrayList",
      "java.util.concurrent.ConcurrentSkipListMap", "java.util.concurrent.ConcurrentSkipListSet",
      "java.util.concurrent.TimeUnit", "java.util.concurrent.atomic.AtomicInteger", "java.util.concurrent.atomic.AtomicLong",
      "java.util.concurrent.atomic.AtomicBoolean", "java.util.Vector", "java.util.Hashtable", "java.util.Properties",
      "java.util.PriorityQueue",
      "java.sql.Date", "java.sql.Time", "java.sql.Timestamp", "java.net.URI");
  /** Immutable and unmodifiable JDK collections, whose classes are private. */
  private static final List<String> JDK_PREFIXES =
      Immutable.listOf("java.time.", "java.util.Collections$", "java.util.ImmutableCollections$");

  /**
   * Roots that many organisations share: under them, one organisation is three segments
   * ({@code io.github.alice}), not two.
   */
  private static final List<String> SHARED_ROOTS =
      Immutable.listOf("io.github", "com.github", "io.gitlab", "com.gitlab", "org.apache", "com.google", "org.eclipse", "net.sf", "net.java");

  /** Packages that belong to the JDK: never allowed whole, only class by class. */
  private static final List<String> JDK_PACKAGE_ROOTS =
      Immutable.listOf("java", "javax", "jdk", "sun", "com.sun", "org.w3c", "org.xml", "org.ietf", "org.omg");

  private final Set<String> packages = new TreeSet<>();
  /** Packages allowed without their subpackages. */
  private final Set<String> packagesAlone = new TreeSet<>();
  private final Set<String> classes = new TreeSet<>();

  /** The JDK's value types plus {@code names}: packages (with their subpackages) and classes. */
  public ClassAllowList(Collection<String> names) {
    for (String name : names) {
      String last = name.substring(name.lastIndexOf('.') + 1);
      if (!last.isEmpty() && Character.isUpperCase(last.charAt(0))) {
        classes.add(name);
      } else {
        packages.add(name);
      }
    }
  }

  /**
   * What entries of a cached method may hold: the packages of its class and of the class its rule
   * names (which differ for an interface's implementation); of each value type (binary names: the
   * return type, then the classes its type arguments name), the package with subpackages when the
   * type belongs to the same organisation, else its package alone; and {@code extras}
   * ({@code serialization.allow}). A JDK class, or one of a package of one segment, is taken alone.
   */
  public static ClassAllowList forMethod(String declaringClass, String configuredClass, List<String> valueTypes,
      List<String> extras) {
    List<String> allowed = new ArrayList<>(extras);
    allowed.add(packageOrClass(declaringClass));
    allowed.add(packageOrClass(configuredClass));
    List<String> thirdParty = new ArrayList<>();
    for (String declared : valueTypes) {
      String type = elementType(declared);
      if (sameOrganisation(type, declaringClass) || sameOrganisation(type, configuredClass)) {
        allowed.add(packageOrClass(type));
      } else {
        thirdParty.add(type);
      }
    }
    ClassAllowList list = new ClassAllowList(allowed);
    for (String type : thirdParty) {
      if (mayAllowPackageOf(type)) {
        list.packagesAlone.add(packageOf(type));
      } else {
        list.classes.add(type);
      }
    }
    return list;
  }

  /**
   * Whether two classes belong to one organisation: their packages begin with the same two
   * segments, as reversed domain names do ({@code com.acme.shop.model} and {@code com.acme.billing}),
   * or three under a root many share ({@code io.github.alice}, {@code org.apache.commons}).
   */
  private static boolean sameOrganisation(String className, String other) {
    String pkg = packageOf(className);
    String[] segments = pkg.split("\\.");
    String[] otherSegments = packageOf(other).split("\\.");
    int needed = SHARED_ROOTS.stream().anyMatch(root -> pkg.equals(root) || pkg.startsWith(root + ".")) ? 3 : 2;
    if (segments.length < needed || otherSegments.length < needed || isJdkPackage(pkg)) {
      return false;
    }
    for (int i = 0; i < needed; i++) {
      if (!segments[i].equals(otherSegments[i])) {
        return false;
      }
    }
    return true;
  }

  /** The element type of an array's binary name ({@code [Lcom.acme.P;} is {@code com.acme.P}); other names as they are. */
  private static String elementType(String binaryName) {
    String name = binaryName.replaceFirst("^\\[+", "");
    return name.length() != binaryName.length() && name.startsWith("L") && name.endsWith(";")
        ? name.substring(1, name.length() - 1) : name;
  }

  private static String packageOf(String className) {
    int dot = className.lastIndexOf('.');
    return dot < 0 ? "" : className.substring(0, dot);
  }

  /**
   * The package of an application class, to allow with its subpackages; the class alone when it
   * belongs to the JDK or to a package of fewer than two segments (allowing {@code javax.**} or
   * {@code org.**} would allow far more than the application's own classes).
   */
  private static String packageOrClass(String className) {
    return mayAllowPackageOf(className) ? packageOf(className) : className;
  }

  /** Whether the package of a class may be allowed at all: not the JDK's, nor one of a single segment. */
  private static boolean mayAllowPackageOf(String className) {
    String pkg = packageOf(className);
    return pkg.indexOf('.') >= 0 && !isJdkPackage(pkg);
  }

  /** Whether a package belongs to the JDK ({@code java.*}, {@code javax.*}, {@code sun.*}, ...). */
  public static boolean isJdkPackage(String pkg) {
    for (String root : JDK_PACKAGE_ROOTS) {
      if (pkg.equals(root) || pkg.startsWith(root + ".")) {
        return true;
      }
    }
    return false;
  }

  /** Whether an entry may hold an instance of the class of this binary name (arrays: of their element type). */
  public boolean allows(String className) {
    String name = className;
    while (name.startsWith("[")) {
      name = name.substring(1);
    }
    if (name.length() == 1) {
      return true; // an array of primitives
    }
    if (name.startsWith("L") && name.endsWith(";") && !name.equals(className)) {
      name = name.substring(1, name.length() - 1);
    }
    if (JDK_CLASSES.contains(name) || classes.contains(name)) {
      return true;
    }
    for (String prefix : JDK_PREFIXES) {
      if (name.startsWith(prefix)) {
        return true;
      }
    }
    if (packagesAlone.contains(packageOf(name))) {
      return true;
    }
    for (String allowed : packages) {
      if (name.startsWith(allowed) && name.length() > allowed.length() && name.charAt(allowed.length()) == '.') {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    TreeSet<String> all = new TreeSet<>(packages);
    packagesAlone.forEach(pkg -> all.add(pkg + " (without subpackages)"));
    all.addAll(classes);
    return "the JDK's value types and " + (all.isEmpty() ? "nothing else" : String.join(", ", all));
  }
}
