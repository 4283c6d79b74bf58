package io.cacheagent.key;

/** A call's arguments would take more key material than {@link KeyText#MAX_BYTES}: it runs uncached. */
public final class KeyTooLargeException extends UnstableArgumentException {

  private static final long serialVersionUID = 1L;

  KeyTooLargeException(long bytes) {
    super("its key would take more than " + KeyText.MAX_BYTES / 1024 + " KiB of argument data (at least "
        + bytes + " bytes); calls with arguments this large are not worth a key");
  }
}
