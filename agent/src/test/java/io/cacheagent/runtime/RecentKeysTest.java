package io.cacheagent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.cacheagent.codec.EntrySigning;
import io.cacheagent.config.MethodRule;
import io.cacheagent.config.MethodSignature;
import io.cacheagent.config.NearCacheSettings;
import io.cacheagent.key.KeyExpression;
import io.cacheagent.key.KeyNames;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The keys a method with a nearCache remembers by its arguments: never one that its arguments no longer make. */
class RecentKeysTest {

  private final MethodTable table = new MethodTable(KeyNames.readable("test"), List.of(), EntrySigning.OFF);

  @Test
  void plainArguments_getTheKeyTheyMake_theSameInstanceEveryTime() throws Exception {
    CachedMethod find = method("com.acme.Repo#find(long)", "(J)Ljava/lang/String;", null);
    RecentKeys keys = new RecentKeys(find.keys, 100);

    String first = keys.keyFor(find, null, new Object[] {1L});
    assertThat(first).isEqualTo(find.keyFor(find.keys, null, new Object[] {1L}));
    assertThat(keys.keyFor(find, null, new Object[] {1L})).isSameAs(first);
    assertThat(keys.keyFor(find, null, new Object[] {2L})).isEqualTo(find.keyFor(find.keys, null, new Object[] {2L}));
  }

  @Test
  void aStringLongerThanAKeyWritesOut_isNotRemembered_forTheMemoWouldHoldItWhole() throws Exception {
    CachedMethod search = method("com.acme.Repo#search(java.lang.String)", "(Ljava/lang/String;)Ljava/lang/String;", null);
    RecentKeys keys = new RecentKeys(search.keys, 100);
    String atMost = "a".repeat(RecentKeys.MAX_STRING);
    String longer = "a".repeat(RecentKeys.MAX_STRING + 1);

    assertThat(keys.keyFor(search, null, new Object[] {atMost})).isSameAs(keys.keyFor(search, null, new Object[] {atMost}));
    String first = keys.keyFor(search, null, new Object[] {longer});
    assertThat(keys.keyFor(search, null, new Object[] {longer})).as("written out again").isEqualTo(first).isNotSameAs(first);
  }

  @Test
  void aMutableArgument_isKeyedAsItIsNow() throws Exception {
    CachedMethod search = method("com.acme.Repo#search(com.acme.Query)", "(Lcom/acme/Query;)Ljava/lang/String;", null);
    RecentKeys keys = new RecentKeys(search.keys, 100);
    Query query = new Query(); // equal to itself only, whatever it holds: a criteria object reused with new values
    query.id = 1;

    String before = keys.keyFor(search, null, new Object[] {query});
    query.id = 2;
    assertThat(keys.keyFor(search, null, new Object[] {query})).isNotEqualTo(before).contains("id=l2");
  }

  @Test
  void keyExpressions_areEvaluatedOnEveryCall_forTheyMayReadWhatChanges() throws Exception {
    CachedMethod find = method("com.acme.Repo#find(long)", "(J)Ljava/lang/String;",
        List.of(KeyExpression.parse("this.region"), KeyExpression.parse("args[0]")));
    RecentKeys keys = new RecentKeys(find.keys, 100);
    Repo repo = new Repo();

    repo.region = "eu";
    String eu = keys.keyFor(find, repo, new Object[] {1L});
    repo.region = "us";
    assertThat(keys.keyFor(find, repo, new Object[] {1L})).isNotEqualTo(eu).contains("us");
  }

  @Test
  void aNewKeySpace_isNotServedTheKeysOfTheOldOne() {
    CachedMethod find = method("com.acme.Repo#find(long)", "(J)Ljava/lang/String;", null);
    RecentKeys keys = new RecentKeys(find.keys, 100);
    find.rebind(find.rule, KeyNames.readable("test"));

    assertThat(keys.isFor(find.keys)).isFalse();
  }

  public static final class Query {
    long id;
  }

  public static final class Repo {
    String region;

    public String getRegion() {
      return region;
    }
  }

  private CachedMethod method(String signature, String descriptor, List<KeyExpression> key) {
    MethodRule rule = MethodRule.cache(MethodSignature.parse(signature)).key(key).nearCache(NearCacheSettings.BUILT_IN).build();
    int id = table.registerCached(getClass().getClassLoader(), signature, signature, descriptor, rule, List.of("java.lang.String"));
    return table.cached(id);
  }
}
