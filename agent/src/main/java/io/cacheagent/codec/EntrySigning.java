package io.cacheagent.codec;

import io.cacheagent.secret.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/*
 * Signed entries: with a signing key (env CACHE_AGENT_SIGNING_KEY), every entry the agent writes
 * ends in an HMAC-SHA256 over its key name and its bytes, and an entry whose last 32 bytes are not
 * that HMAC is refused before Kryo reads a byte of it. The allow list keeps classes out that must
 * not be built; signing keeps out values that must not be served: someone who can write to Redis
 * but does not hold the key cannot plant a price or a permission set of an allowed class, nor move
 * one entry to another key (the key name is signed with it).
 *
 * What such a writer can still do: delete entries or write garbage (the call then loads, as on a
 * miss), hold leases (calls then wait up to the lease, and load), set a generation key back to a
 * value it had, or put back an older signed entry of the same key (an entry is served until a write
 * evicts it or its TTL ends; a replay within the TTL is served as the entry it was). See
 * docs/security.md.
 *
 * Rotation: entries signed with the previous key (env CACHE_AGENT_SIGNING_KEY_PREVIOUS) are still
 * accepted, so JVMs can move to a new key one by one; new entries are signed with the current key.
 * Tombstones are not signed: they are never served, and a forged one evicts no more than a delete.
 */
public final class EntrySigning {

  /** No signing: entries are written and read as they are. */
  public static final EntrySigning OFF = new EntrySigning(null, null);

  /** Length of the signature at the end of a signed entry. */
  static final int SIGNATURE_BYTES = 32;

  private final Secret current;
  private final Secret previous;

  private EntrySigning(Secret current, Secret previous) {
    this.current = current;
    this.previous = previous;
  }

  /** Signs with {@code current}; accepts entries signed with {@code previous} too, when not {@code null}. */
  public static EntrySigning with(Secret current, Secret previous) {
    return new EntrySigning(current, previous);
  }

  /** Whether entries are signed. */
  public boolean isOn() {
    return current != null;
  }

  /** The entry as stored: its bytes followed by their signature, or as they are when signing is off. */
  public byte[] sign(String key, byte[] entry) {
    if (current == null) {
      return entry;
    }
    byte[] signed = Arrays.copyOf(entry, entry.length + SIGNATURE_BYTES);
    byte[] signature = current.hmac(keyPart(key), entry, entry.length);
    System.arraycopy(signature, 0, signed, entry.length, SIGNATURE_BYTES);
    return signed;
  }

  /**
   * How many of the stored bytes under {@code key} are the entry, once its signature was checked;
   * throws {@link UndecodableException#unsigned} when it is missing or wrong.
   */
  public int verifiedLength(String key, byte[] stored) throws UndecodableException {
    if (current == null) {
      return stored.length;
    }
    int length = stored.length - SIGNATURE_BYTES;
    if (length <= 0) {
      throw UndecodableException.unsigned();
    }
    byte[] signature = Arrays.copyOfRange(stored, length, stored.length);
    byte[] keyPart = keyPart(key);
    if (current.verifies(signature, keyPart, stored, length)
        || previous != null && previous.verifies(signature, keyPart, stored, length)) {
      return length;
    }
    throw UndecodableException.unsigned();
  }

  /** The key name, after its length: no two (key, entry) pairs sign the same bytes. */
  private static byte[] keyPart(String key) {
    byte[] name = key.getBytes(StandardCharsets.UTF_8);
    byte[] part = Arrays.copyOf(new byte[] {(byte) (name.length >>> 24), (byte) (name.length >>> 16),
        (byte) (name.length >>> 8), (byte) name.length}, 4 + name.length);
    System.arraycopy(name, 0, part, 4, name.length);
    return part;
  }

  @Override
  public String toString() {
    if (current == null) {
      return "entries not signed";
    }
    return "entries signed with " + current + (previous == null ? "" : ", also accepting " + previous);
  }
}
