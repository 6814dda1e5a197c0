package io.sluice.engine.tunnel;

import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The field rules of protocol version 1, checked by the {@link Frame} record constructors and by
 * {@link FrameCodec}: odd stream ids, port and positive-int ranges, the direct key's length, and
 * strings measured in UTF-8 bytes that must be well-formed and, for names, free of control
 * characters. Every violation throws {@link IllegalArgumentException}. Not part of the API.
 */
final class FrameRules {

  private FrameRules() {}

  /** A stream-bound id: odd and in {@code [1, 2^32-1]}. */
  static void streamId(long id) {
    if (id < 1 || id > Frame.MAX_STREAM_ID || (id & 1) == 0) {
      throw new IllegalArgumentException("stream id must be odd and in [1, 2^32-1]: " + id);
    }
  }

  /** The target of OPEN and OPEN_DIRECT: stream id, host (no control characters), port. */
  static void target(long streamId, String host, int port) {
    streamId(streamId);
    text("host", host, 1, Frame.MAX_HOST_BYTES, true);
    port("port", port);
  }

  /** A TCP port in {@code [1, 65535]}. */
  static void port(String field, int port) {
    if (port < 1 || port > 65535)
      throw new IllegalArgumentException(field + " must be in [1, 65535]");
  }

  /** A window, credit or size in {@code [1, 2^31-1]}. */
  static void positive(String field, int value) {
    if (value < 1) throw new IllegalArgumentException(field + " must be in [1, 2^31-1]");
  }

  /** A one-time key of {@link Frame#DIRECT_KEY_BYTES} bytes; returns a copy. */
  static byte[] directKey(byte[] key) {
    if (key == null || key.length != Frame.DIRECT_KEY_BYTES) {
      throw new IllegalArgumentException("key must be " + Frame.DIRECT_KEY_BYTES + " bytes");
    }
    return key.clone();
  }

  /**
   * A string of {@code minBytes..maxBytes} UTF-8 bytes, well-formed (no unpaired surrogates) and,
   * when {@code noControl}, without ISO control characters.
   */
  static void text(String field, String s, int minBytes, int maxBytes, boolean noControl) {
    if (s == null) throw new IllegalArgumentException(field + " is null");
    int n;
    try {
      n =
          StandardCharsets.UTF_8
              .newEncoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .encode(CharBuffer.wrap(s))
              .remaining();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException(field + " is not well-formed UTF-16/UTF-8");
    }
    if (n < minBytes || n > maxBytes) {
      throw new IllegalArgumentException(
          field + " must be " + minBytes + ".." + maxBytes + " UTF-8 bytes");
    }
    if (noControl && hasControl(s))
      throw new IllegalArgumentException(field + " contains control characters");
  }

  /** Whether {@code s} holds an ISO control character. */
  static boolean hasControl(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isISOControl(s.charAt(i))) return true;
    }
    return false;
  }
}
