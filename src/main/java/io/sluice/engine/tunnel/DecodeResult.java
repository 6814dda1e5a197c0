package io.sluice.engine.tunnel;

import java.nio.charset.StandardCharsets;

/**
 * Outcome of {@link FrameCodec#decode}: a frame, or a protocol error to close the WebSocket with.
 */
public sealed interface DecodeResult {

  /** WebSocket close code 1002: protocol error. */
  int PROTOCOL_ERROR = 1002;

  /** WebSocket close code 1008: policy violation (used for authentication-phase violations). */
  int POLICY_VIOLATION = 1008;

  /** WebSocket close code 1009: message too big. */
  int MESSAGE_TOO_BIG = 1009;

  /** Maximum UTF-8 length of a WebSocket close reason (125-byte control payload minus the code). */
  int MAX_REASON_BYTES = 123;

  /** A well-formed frame. */
  record Ok(Frame frame) implements DecodeResult {
    public Ok {
      if (frame == null) throw new IllegalArgumentException("frame is null");
    }
  }

  /**
   * A protocol error. {@code closeCode} is the WebSocket close code to send; {@code reason} is a
   * short ASCII/UTF-8 text of at most {@value #MAX_REASON_BYTES} bytes (longer text is cut).
   */
  record Error(int closeCode, String reason) implements DecodeResult {
    public Error {
      if (closeCode != PROTOCOL_ERROR
          && closeCode != POLICY_VIOLATION
          && closeCode != MESSAGE_TOO_BIG) {
        throw new IllegalArgumentException("unsupported close code " + closeCode);
      }
      reason = truncate(reason == null ? "" : reason);
    }

    private static String truncate(String s) {
      if (s.getBytes(StandardCharsets.UTF_8).length <= MAX_REASON_BYTES) return s;
      int end = Math.min(s.length(), MAX_REASON_BYTES);
      while (end > 0) {
        String cut = s.substring(0, end);
        if (Character.isHighSurrogate(cut.charAt(cut.length() - 1))) {
          end--;
          continue;
        }
        if (cut.getBytes(StandardCharsets.UTF_8).length <= MAX_REASON_BYTES) return cut;
        end--;
      }
      return "";
    }
  }
}
