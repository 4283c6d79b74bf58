package io.cacheagent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.cacheagent.codec.EntrySigning;
import io.cacheagent.config.MethodRule;
import io.cacheagent.config.MethodSignature;
import io.cacheagent.key.KeyNames;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CachedMethodTest {

  private static CachedMethod method(double jitter, Duration ttl, Duration nullTtl) {
    MethodRule rule = MethodRule.cache(MethodSignature.parse("com.acme.Repo#find(long)")).ttl(ttl).ttlJitter(jitter).cacheNulls(true)
        .nullTtl(nullTtl).build();
    return new CachedMethod("com.acme.Repo#find(long)", "com.acme.Repo#find(long)", "(J)Ljava/lang/String;", rule, KeyNames.readable("test"), List.of("java.lang.String"), false, null,
        List.of(), EntrySigning.OFF, CachedMethodTest.class.getClassLoader());
  }

  @Test
  void ttlFor_withJitter_isShortenedBy_upToTheJitter_neverLengthened_andSpread() {
    CachedMethod method = method(0.10, Duration.ofSeconds(100), Duration.ofSeconds(5));
    Set<Duration> seen = new HashSet<>();

    for (int i = 0; i < 1_000; i++) {
      Duration ttl = method.ttlFor("value");
      assertThat(ttl).isBetween(Duration.ofSeconds(90), Duration.ofSeconds(100));
      seen.add(ttl);
    }

    assertThat(seen).as("distinct TTLs among 1,000 entries written together").hasSizeGreaterThan(500);
  }

  @Test
  void ttlFor_null_usesNullTtl() {
    assertThat(method(0, Duration.ofMinutes(10), Duration.ofSeconds(5)).ttlFor(null)).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void ttlFor_withoutJitter_isTheTtl() {
    assertThat(method(0, Duration.ofMinutes(10), Duration.ofSeconds(5)).ttlFor("value")).isEqualTo(Duration.ofMinutes(10));
  }
}
