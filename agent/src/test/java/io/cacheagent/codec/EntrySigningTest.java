package io.cacheagent.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cacheagent.secret.Secret;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class EntrySigningTest {

  private static final Secret OLD = Secret.fromEnvironment("CACHE_AGENT_SIGNING_KEY", "the-key-of-last-year-0001");
  private static final Secret NEW = Secret.fromEnvironment("CACHE_AGENT_SIGNING_KEY", "the-key-of-this-year-0002");
  private static final Duration TTL = Duration.ofMinutes(5);
  private final ValueCodec codec = new ValueCodec(getClass().getClassLoader(), new ClassAllowList(List.of()));
  private final byte[] entry = codec.encode(7, 5L, "price 10");

  @Test
  void signedEntry_readsBackWhole_andAnyChangedByteIsRefused() throws Exception {
    EntrySigning signing = EntrySigning.with(NEW, null);
    byte[] signed = signing.sign("shop:k", entry, TTL);

    assertThat(signed).hasSize(entry.length + EntrySigning.EXPIRY_BYTES + EntrySigning.SIGNATURE_BYTES).startsWith(entry);
    assertThat(codec.decodeEntry(signed, signing.verifiedLength("shop:k", signed)).value()).isEqualTo("price 10");
    for (int i = 0; i < signed.length; i++) {
      byte[] changed = signed.clone();
      changed[i] ^= 1;
      assertThatThrownBy(() -> signing.verifiedLength("shop:k", changed)).as("byte %d changed", i)
          .isInstanceOfSatisfying(UndecodableException.class, e -> assertThat(e.isUnsigned()).isTrue());
    }
  }

  @Test
  void unsignedEntry_entryMovedToAnotherKey_andAnotherKeysSignature_areRefused() {
    EntrySigning signing = EntrySigning.with(NEW, null);

    assertThatThrownBy(() -> signing.verifiedLength("shop:k", entry)).isInstanceOf(UndecodableException.class)
        .hasMessage("not signed with this agent's signing key");
    assertThatThrownBy(() -> signing.verifiedLength("shop:other", signing.sign("shop:k", entry, TTL))).isInstanceOf(UndecodableException.class);
    assertThatThrownBy(() -> signing.verifiedLength("shop:k", EntrySigning.with(OLD, null).sign("shop:k", entry, TTL)))
        .isInstanceOf(UndecodableException.class);
    assertThatThrownBy(() -> signing.verifiedLength("shop:k", new byte[3])).isInstanceOf(UndecodableException.class);
  }

  @Test
  void anEntryPastItsSignedExpiry_isExpired_whateverRedisKeptIt() throws Exception {
    AtomicLong now = new AtomicLong(1_700_000_000_000L);
    EntrySigning signing = EntrySigning.with(NEW, null, now::get);
    byte[] signed = signing.sign("shop:k", entry, TTL);

    now.addAndGet(TTL.toMillis() + EntrySigning.CLOCK_SKEW_MILLIS); // a replay of it, without expiry, later
    assertThat(signing.verifiedLength("shop:k", signed)).as("within the clocks' skew").isEqualTo(entry.length);
    now.incrementAndGet();
    assertThatThrownBy(() -> signing.verifiedLength("shop:k", signed))
        .isInstanceOfSatisfying(UndecodableException.class, e -> assertThat(e.isExpired()).isTrue());
  }

  @Test
  void rotation_thePreviousKeysEntriesAreStillRead_newOnesAreSignedWithTheCurrentKey() throws Exception {
    AtomicLong now = new AtomicLong(1_700_000_000_000L);
    EntrySigning rotating = EntrySigning.with(NEW, OLD, now::get);
    byte[] signedLastYear = EntrySigning.with(OLD, null, now::get).sign("shop:k", entry, TTL);

    assertThat(rotating.verifiedLength("shop:k", signedLastYear)).isEqualTo(entry.length);
    assertThat(rotating.sign("shop:k", entry, TTL)).isEqualTo(EntrySigning.with(NEW, null, now::get).sign("shop:k", entry, TTL));
    assertThat(rotating.toString()).isEqualTo("entries signed with CACHE_AGENT_SIGNING_KEY (fingerprint " + NEW.fingerprint()
        + "), also accepting CACHE_AGENT_SIGNING_KEY (fingerprint " + OLD.fingerprint() + ")");
    assertThat(NEW.fingerprint()).hasSize(8).isNotEqualTo(OLD.fingerprint());
  }

  @Test
  void off_passesEntriesAsTheyAre() throws Exception {
    assertThat(EntrySigning.OFF.sign("shop:k", entry, TTL)).isSameAs(entry);
    assertThat(EntrySigning.OFF.verifiedLength("shop:k", entry)).isEqualTo(entry.length);
  }
}
