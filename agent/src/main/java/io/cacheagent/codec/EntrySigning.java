package io.cacheagent.codec;

import io.cacheagent.secret.Secret;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.LongSupplier;

/*
 * Signed entries: with a signing key (env CACHE_AGENT_SIGNING_KEY), every entry the agent writes
 * ends in the time it expires (8 bytes, milliseconds since the epoch) and an HMAC-SHA256 over its
 * key name, its bytes and that time; an entry whose last 32 bytes are not that HMAC is refused
 * before Kryo reads a byte of it. An entry past its time is a miss, wherever Redis keeps it: a
 * writer to Redis who puts back an old signed entry without an expiry gets it served no longer than
 * its TTL (plus CLOCK_SKEW between the JVMs' clocks). The allow list keeps classes out that must
 * not be built; signing keeps out values that must not be served: someone who can write to Redis
 * but does not hold the key cannot plant a price or a permission set of an allowed class, nor move
 * one entry to another key (the key name is signed with it).
 *
 * What such a writer can still do: delete entries or write garbage (the call then loads, as on a
 * miss), hold leases (calls then wait up to the lease, and load), set a generation key back to a
 * value it had, or put back an older signed entry of the same key, which is served as the entry it
 * was until its signed expiry. See docs/security.md.
 *
 * Rotation: entries signed with the previous key (env CACHE_AGENT_SIGNING_KEY_PREVIOUS) are still
 * accepted, so JVMs can move to a new key one by one; new entries are signed with the current key.
 * Tombstones are not signed: they are never served, and a forged one evicts no more than a delete.
 */
public final class EntrySigning {

  /** No signing: entries are written and read as they are. */
  public static final EntrySigning OFF = new EntrySigning(null, null, System::currentTimeMillis);

  /** Length of the signature at the end of a signed entry. */
  static final int SIGNATURE_BYTES = 32;

  /** Length of the expiry time before the signature. */
  static final int EXPIRY_BYTES = 8;

  /** How far the clocks of two JVMs may differ before one takes the other's fresh entry for expired: 5 s. */
  static final long CLOCK_SKEW_MILLIS = 5_000;

  /** Starts every signed text: no HMAC the agent computes for another purpose signs the same bytes. */
  private static final byte[] LABEL = "cache-agent entry\0".getBytes(StandardCharsets.US_ASCII);

  private final Secret current;
  private final Secret previous;
  private final LongSupplier wallClock;

  private EntrySigning(Secret current, Secret previous, LongSupplier wallClock) {
    this.current = current;
    this.previous = previous;
    this.wallClock = wallClock;
  }

  /** Signs with {@code current}; accepts entries signed with {@code previous} too, when not {@code null}. */
  public static EntrySigning with(Secret current, Secret previous) {
    return with(current, previous, System::currentTimeMillis);
  }

  /** The same, on {@code wallClock} (milliseconds since the epoch): for tests. */
  static EntrySigning with(Secret current, Secret previous, LongSupplier wallClock) {
    return new EntrySigning(current, previous, wallClock);
  }

  /** Whether entries are signed. */
  public boolean isOn() {
    return current != null;
  }

  /**
   * The entry as stored under {@code key} for {@code ttl}: its bytes, when it expires, and their
   * signature; or the bytes as they are when signing is off.
   */
  public byte[] sign(String key, byte[] entry, Duration ttl) {
    if (current == null) {
      return entry;
    }
    byte[] signed = Arrays.copyOf(entry, entry.length + EXPIRY_BYTES + SIGNATURE_BYTES);
    ByteBuffer.wrap(signed).putLong(entry.length, wallClock.getAsLong() + ttl.toMillis());
    byte[] signature = current.hmac(keyPart(key), signed, entry.length + EXPIRY_BYTES);
    System.arraycopy(signature, 0, signed, entry.length + EXPIRY_BYTES, SIGNATURE_BYTES);
    return signed;
  }

  /**
   * How many of the stored bytes under {@code key} are the entry, once its signature and expiry
   * were checked; throws {@link UndecodableException#unsigned} when the signature is missing or
   * wrong, {@link UndecodableException#expired} when it is right but the entry's time has passed.
   */
  public int verifiedLength(String key, byte[] stored) throws UndecodableException {
    if (current == null) {
      return stored.length;
    }
    int signedLength = stored.length - SIGNATURE_BYTES;
    int length = signedLength - EXPIRY_BYTES;
    if (length <= 0) {
      throw UndecodableException.unsigned();
    }
    byte[] signature = Arrays.copyOfRange(stored, signedLength, stored.length);
    byte[] keyPart = keyPart(key);
    if (!current.verifies(signature, keyPart, stored, signedLength)
        && (previous == null || !previous.verifies(signature, keyPart, stored, signedLength))) {
      throw UndecodableException.unsigned();
    }
    if (wallClock.getAsLong() > ByteBuffer.wrap(stored).getLong(length) + CLOCK_SKEW_MILLIS) {
      throw UndecodableException.expired();
    }
    return length;
  }

  /** The label, then the key name after its length: no two (key, entry) pairs sign the same bytes. */
  private static byte[] keyPart(String key) {
    byte[] name = key.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(LABEL.length + Integer.BYTES + name.length).put(LABEL).putInt(name.length).put(name).array();
  }

  @Override
  public String toString() {
    if (current == null) {
      return "entries not signed";
    }
    return "entries signed with " + current + (previous == null ? "" : ", also accepting " + previous);
  }
}
