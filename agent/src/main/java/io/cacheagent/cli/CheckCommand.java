package io.cacheagent.cli;

import io.cacheagent.config.AgentConfig;
import io.cacheagent.config.ConfigException;
import io.cacheagent.config.ConfigLoader;
import io.cacheagent.config.EvictRule;
import io.cacheagent.config.MethodRule;
import io.cacheagent.instrument.SignatureCheck;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code java -jar cache-agent.jar check <config.yaml> <class path>}: validates the file and says,
 * for every signature in it, whether it names a method of the given classes (and if not, what was
 * probably meant). It warns where a cached method's results may depend on state its key does not
 * name, reports an eviction key that can never evict an entry, and notes what caching a JPA entity
 * means. Exit code 0 only when the file is valid, every signature matches and every eviction key can
 * work; warnings and notes do not change it.
 */
final class CheckCommand {

  private CheckCommand() {}

  static int run(Path config, String classPath, PrintStream out) throws Exception {
    AgentConfig agentConfig;
    try {
      agentConfig = ConfigLoader.load(config, System.getenv());
    } catch (ConfigException e) {
      e.problems().forEach(out::println);
      out.println(config.getFileName() + ": " + ConfigException.count(e.problems().size()) + "; the agent would refuse this file");
      return 1;
    }
    try (ApplicationClassPath classes = ApplicationClassPath.of(classPath)) {
      classes.notes().forEach(note -> out.println("read     " + note));
      return check(config, agentConfig, classes.entries(), out);
    }
  }

  private static int check(Path config, AgentConfig agentConfig, List<Path> entries, PrintStream out) throws Exception {
    int signatures = 0;
    int failed = 0;
    int warnings = 0;
    int badKeys = 0;
    int notCached = 0;
    try (SignatureCheck check = new SignatureCheck(entries)) {
      for (MethodRule rule : agentConfig.methods()) {
        String path = "methods[" + rule.index() + "].method";
        signatures++;
        failed += report(out, path, rule.signature().toString(), check.check(rule.signature(), true));
        for (String problem : check.batchProblems(rule)) {
          out.println("NOT CACHED methods[" + rule.index() + "].batch \"" + rule.batch() + "\": " + problem);
          notCached++;
        }
        for (String note : check.notes(rule)) {
          out.println("note     " + path + " \"" + rule.signature() + "\": " + note);
        }
        for (String warning : check.warnings(rule)) {
          out.println("warning  " + path + " \"" + rule.signature() + "\": " + warning);
          warnings++;
        }
        for (int j = 0; j < rule.evictOn().size(); j++) {
          EvictRule eviction = rule.evictOn().get(j);
          signatures++;
          failed += report(out, "methods[" + rule.index() + "].evictOn[" + j + "].method", eviction.write().toString(),
              check.check(eviction.write(), false));
          String keyProblem = check.evictionKeyProblem(rule, eviction);
          if (keyProblem != null) {
            out.println("BAD KEY  methods[" + rule.index() + "].evictOn[" + j + "].key " + keyProblem + "; the agent would not cache "
                + rule.signature());
            badKeys++;
          }
        }
      }
    }
    out.println(config.getFileName() + ": " + signatures + (signatures == 1 ? " signature, " : " signatures, ")
        + (failed == 0 ? "all match" : failed + (failed == 1 ? " does not match" : " do not match"))
        + (badKeys == 0 ? "" : "; " + badKeys + (badKeys == 1 ? " eviction key" : " eviction keys") + " can never evict")
        + (notCached == 0 ? "" : "; " + notCached + (notCached == 1 ? " batch method" : " batch methods") + " not cached")
        + (warnings == 0 ? "" : "; " + warnings + (warnings == 1 ? " warning" : " warnings")));
    return failed == 0 && badKeys == 0 && notCached == 0 ? 0 : 1;
  }

  private static int report(PrintStream out, String path, String signature, SignatureCheck.Verdict verdict) {
    out.println((verdict.matches() ? "ok       " : "NO MATCH ") + path + " \"" + signature + "\": " + verdict.detail());
    return verdict.matches() ? 0 : 1;
  }
}
