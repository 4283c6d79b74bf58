package io.cacheagent.config;

import io.cacheagent.jdk.Immutable;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * Decodes a configuration file as UTF-8, and says where it is not: a Latin-1 {@code é} in a
 * comment is the usual cause, and the JDK's own message names neither the line nor the byte.
 */
final class Utf8Text {

  private Utf8Text() {}

  static String decode(Path file, byte[] bytes) throws ConfigException {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult result = decoder.decode(in, out, true);
    if (!result.isError()) {
      result = decoder.flush(out);
    }
    if (result.isError()) {
      throw new ConfigException(Immutable.listOf(file + ": " + where(out) + ": byte 0x"
          + String.format("%02X", bytes[in.position()] & 0xFF) + " is not UTF-8; save the file as UTF-8"
          + " (a character such as é typed in another encoding, often in a comment, is the usual cause)"));
    }
    out.flip();
    String text = out.toString();
    return text.startsWith("\uFEFF") ? text.substring(1) : text;
  }

  /** "line L, column C" of the character after what was decoded. */
  private static String where(CharBuffer decoded) {
    int line = 1;
    int column = 1;
    for (int i = 0; i < decoded.position(); i++) {
      if (decoded.get(i) == '\n') {
        line++;
        column = 1;
      } else {
        column++;
      }
    }
    return "line " + line + ", column " + column;
  }
}
