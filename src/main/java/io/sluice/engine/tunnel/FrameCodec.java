package io.sluice.engine.tunnel;

import static io.sluice.engine.tunnel.DecodeResult.MESSAGE_TOO_BIG;
import static io.sluice.engine.tunnel.DecodeResult.POLICY_VIOLATION;
import static io.sluice.engine.tunnel.DecodeResult.PROTOCOL_ERROR;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Encoder/decoder for tunnel protocol version 1. A WebSocket binary message is exactly one frame:
 * {@code type (u8) | stream id (u32 BE) | payload}; strings are {@code u16 BE byte length | UTF-8
 * bytes}. Stateless and immutable apart from the configured maximum payload; safe to share.
 *
 * <p>{@link #decode} never throws on malformed input: it returns {@link DecodeResult.Error} with
 * the WebSocket close code (1002 protocol error, 1008 authentication-phase violation, 1009 message
 * too big) and a short reason. It reads from the buffer's position to its limit without moving
 * either. {@link #encode} throws {@link IllegalArgumentException} only for caller bugs (DATA larger
 * than the maximum payload).
 */
public final class FrameCodec {

  /** Header: type (1) + stream id (4). */
  public static final int HEADER_BYTES = 5;

  /** Default maximum frame payload: 64 KiB. */
  public static final int DEFAULT_MAX_PAYLOAD = 64 * 1024;

  /** Smallest accepted maximum payload; every control frame (HELLO is at most 393 bytes) fits. */
  public static final int MIN_MAX_PAYLOAD = 512;

  /** Largest accepted maximum payload: 16 MiB. */
  public static final int MAX_MAX_PAYLOAD = 16 * 1024 * 1024;

  private final int maxPayload;

  /**
   * @param maxPayload largest frame payload accepted/produced, in {@code [512, 16 MiB]}
   */
  public FrameCodec(int maxPayload) {
    if (maxPayload < MIN_MAX_PAYLOAD || maxPayload > MAX_MAX_PAYLOAD) {
      throw new IllegalArgumentException(
          "maxPayload must be in [" + MIN_MAX_PAYLOAD + ", " + MAX_MAX_PAYLOAD + "]");
    }
    this.maxPayload = maxPayload;
  }

  /** Codec with {@link #DEFAULT_MAX_PAYLOAD}. */
  public FrameCodec() {
    this(DEFAULT_MAX_PAYLOAD);
  }

  public int maxPayload() {
    return maxPayload;
  }

  // ------------------------------------------------------------------------------ encode

  /** Encodes one frame into a new heap buffer, flipped (position 0, limit = frame length). */
  public ByteBuffer encode(Frame f) {
    if (f == null) throw new IllegalArgumentException("frame is null");
    int payloadSize =
        switch (f) {
          case Frame.Hello h -> 1 + str(h.agentId()) + str(h.token()) + str(h.softwareVersion());
          case Frame.HelloOk ok -> 8;
          case Frame.Open o -> str(o.host()) + 2;
          case Frame.OpenDirect o -> str(o.host()) + 4 + Frame.DIRECT_KEY_BYTES;
          case Frame.OpenOk ok -> 0;
          case Frame.OpenFail of -> 1 + str(of.message());
          case Frame.Data d -> d.length();
          case Frame.Close c -> 1;
          case Frame.Window w -> 4;
          case Frame.Ping p -> 8;
          case Frame.Pong p -> 8;
          case Frame.GoAway g -> str(g.reason());
        };
    if (payloadSize > maxPayload) {
      throw new IllegalArgumentException(
          "frame payload " + payloadSize + " exceeds maximum " + maxPayload);
    }
    ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES + payloadSize).order(ByteOrder.BIG_ENDIAN);
    b.put(f.type());
    b.putInt((int) f.streamId());
    switch (f) {
      case Frame.Hello h -> {
        b.put((byte) h.version());
        putStr(b, h.agentId());
        putStr(b, h.token());
        putStr(b, h.softwareVersion());
      }
      case Frame.HelloOk ok -> b.putInt(ok.initialWindow()).putInt(ok.maxFramePayload());
      case Frame.Open o -> {
        putStr(b, o.host());
        b.putShort((short) o.port());
      }
      case Frame.OpenDirect o -> {
        putStr(b, o.host());
        b.putShort((short) o.port()).putShort((short) o.dataPort()).put(o.key());
      }
      case Frame.OpenOk ok -> {}
      case Frame.OpenFail of -> {
        b.put((byte) of.reason());
        putStr(b, of.message());
      }
      case Frame.Data d -> b.put(d.buffer());
      case Frame.Close c -> b.put((byte) c.flags());
      case Frame.Window w -> b.putInt(w.increment());
      case Frame.Ping p -> b.putLong(p.opaque());
      case Frame.Pong p -> b.putLong(p.opaque());
      case Frame.GoAway g -> putStr(b, g.reason());
    }
    return b.flip();
  }

  /**
   * Encodes a DATA frame straight from {@code payload} (its remaining bytes; the position is
   * advanced), without building a {@link Frame.Data}: the relay's hot path copies each byte once.
   *
   * @throws IllegalArgumentException for an invalid stream id, an empty payload or one above the
   *     maximum
   */
  public ByteBuffer encodeData(long streamId, ByteBuffer payload) {
    FrameRules.streamId(streamId);
    int n = payload.remaining();
    if (n < 1 || n > maxPayload) {
      throw new IllegalArgumentException("DATA payload must be 1.." + maxPayload + " bytes: " + n);
    }
    ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES + n).order(ByteOrder.BIG_ENDIAN);
    b.put(Frame.TYPE_DATA).putInt((int) streamId).put(payload);
    return b.flip();
  }

  private static int str(String s) {
    return 2 + s.getBytes(StandardCharsets.UTF_8).length;
  }

  private static void putStr(ByteBuffer b, String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    b.putShort((short) bytes.length).put(bytes);
  }

  // ------------------------------------------------------------------------------ decode

  /**
   * Decodes one whole WebSocket binary message.
   *
   * @param authenticated false until the server has accepted the agent's HELLO; while false only
   *     HELLO is accepted (anything else: 1008 "expected HELLO"); while true a HELLO is a 1002
   *     error
   */
  public DecodeResult decode(ByteBuffer message, boolean authenticated) {
    if (message == null) return new DecodeResult.Error(PROTOCOL_ERROR, "empty message");
    ByteBuffer in = message.duplicate().order(ByteOrder.BIG_ENDIAN);
    try {
      return new DecodeResult.Ok(decode0(in, authenticated));
    } catch (Violation v) {
      return new DecodeResult.Error(v.code, v.getMessage());
    }
  }

  private Frame decode0(ByteBuffer in, boolean authenticated) throws Violation {
    if (in.remaining() > HEADER_BYTES + maxPayload) {
      throw new Violation(MESSAGE_TOO_BIG, "frame exceeds " + maxPayload + " payload bytes");
    }
    if (in.remaining() < 1) throw new Violation(PROTOCOL_ERROR, "empty message");
    byte type = in.get();
    if (!authenticated && type != Frame.TYPE_HELLO) {
      throw new Violation(POLICY_VIOLATION, "expected HELLO");
    }
    if (in.remaining() < 4) throw new Violation(PROTOCOL_ERROR, "truncated header");
    long streamId = Integer.toUnsignedLong(in.getInt());
    Frame f =
        switch (type) {
          case Frame.TYPE_HELLO -> {
            if (authenticated) throw new Violation(PROTOCOL_ERROR, "unexpected HELLO");
            connection(streamId, "HELLO");
            int version = u8(in, "HELLO version");
            String agentId = string(in, "HELLO agent id", 1, Frame.MAX_AGENT_ID_BYTES, true);
            String token = string(in, "HELLO token", 1, Frame.MAX_TOKEN_BYTES, false);
            String sw =
                string(in, "HELLO software version", 0, Frame.MAX_SOFTWARE_VERSION_BYTES, true);
            yield new Frame.Hello(version, agentId, token, sw);
          }
          case Frame.TYPE_HELLO_OK -> {
            connection(streamId, "HELLO_OK");
            int window = positiveInt(in, "HELLO_OK initial window");
            int maxFrame = positiveInt(in, "HELLO_OK max frame payload");
            yield new Frame.HelloOk(window, maxFrame);
          }
          case Frame.TYPE_OPEN -> {
            stream(streamId, "OPEN");
            String host = string(in, "OPEN host", 1, Frame.MAX_HOST_BYTES, true);
            need(in, 2, "OPEN port");
            int port = Short.toUnsignedInt(in.getShort());
            if (port == 0) throw new Violation(PROTOCOL_ERROR, "OPEN port 0");
            yield new Frame.Open(streamId, host, port);
          }
          case Frame.TYPE_OPEN_DIRECT -> {
            stream(streamId, "OPEN_DIRECT");
            String host = string(in, "OPEN_DIRECT host", 1, Frame.MAX_HOST_BYTES, true);
            need(in, 4, "OPEN_DIRECT ports");
            int port = Short.toUnsignedInt(in.getShort());
            int dataPort = Short.toUnsignedInt(in.getShort());
            if (port == 0 || dataPort == 0)
              throw new Violation(PROTOCOL_ERROR, "OPEN_DIRECT port 0");
            need(in, Frame.DIRECT_KEY_BYTES, "OPEN_DIRECT key");
            byte[] key = new byte[Frame.DIRECT_KEY_BYTES];
            in.get(key);
            yield new Frame.OpenDirect(streamId, host, port, dataPort, key);
          }
          case Frame.TYPE_OPEN_OK -> {
            stream(streamId, "OPEN_OK");
            yield new Frame.OpenOk(streamId);
          }
          case Frame.TYPE_OPEN_FAIL -> {
            stream(streamId, "OPEN_FAIL");
            int reason = u8(in, "OPEN_FAIL reason");
            if (reason < Frame.OpenFail.NOT_ALLOWED || reason > Frame.OpenFail.GENERAL) {
              throw new Violation(PROTOCOL_ERROR, "OPEN_FAIL unknown reason " + reason);
            }
            String msg = string(in, "OPEN_FAIL message", 0, Frame.MAX_MESSAGE_BYTES, false);
            yield new Frame.OpenFail(streamId, reason, msg);
          }
          case Frame.TYPE_DATA -> {
            stream(streamId, "DATA");
            if (!in.hasRemaining()) throw new Violation(PROTOCOL_ERROR, "empty DATA");
            byte[] bytes = new byte[in.remaining()];
            in.get(bytes);
            yield new Frame.Data(streamId, bytes);
          }
          case Frame.TYPE_CLOSE -> {
            stream(streamId, "CLOSE");
            int flags = u8(in, "CLOSE flags");
            if (flags == 0 || (flags & ~(Frame.Close.FIN | Frame.Close.RESET)) != 0) {
              throw new Violation(
                  PROTOCOL_ERROR, "CLOSE invalid flags 0x" + Integer.toHexString(flags));
            }
            yield new Frame.Close(streamId, flags);
          }
          case Frame.TYPE_WINDOW -> {
            stream(streamId, "WINDOW");
            yield new Frame.Window(streamId, positiveInt(in, "WINDOW increment"));
          }
          case Frame.TYPE_PING -> {
            connection(streamId, "PING");
            need(in, 8, "PING payload");
            yield new Frame.Ping(in.getLong());
          }
          case Frame.TYPE_PONG -> {
            connection(streamId, "PONG");
            need(in, 8, "PONG payload");
            yield new Frame.Pong(in.getLong());
          }
          case Frame.TYPE_GOAWAY -> {
            connection(streamId, "GOAWAY");
            yield new Frame.GoAway(string(in, "GOAWAY reason", 0, Frame.MAX_MESSAGE_BYTES, false));
          }
          default -> throw new Violation(PROTOCOL_ERROR, "unknown frame type 0x" + hex(type));
        };
    if (in.hasRemaining()) {
      throw new Violation(PROTOCOL_ERROR, "trailing bytes after " + name(type));
    }
    return f;
  }

  private static void connection(long streamId, String what) throws Violation {
    if (streamId != 0) throw new Violation(PROTOCOL_ERROR, what + " must use stream 0");
  }

  private static void stream(long streamId, String what) throws Violation {
    if (streamId == 0) throw new Violation(PROTOCOL_ERROR, what + " requires a stream id");
    if ((streamId & 1) == 0)
      throw new Violation(PROTOCOL_ERROR, what + " on even stream id " + streamId);
  }

  private static void need(ByteBuffer in, int n, String what) throws Violation {
    if (in.remaining() < n) throw new Violation(PROTOCOL_ERROR, "truncated " + what);
  }

  private static int u8(ByteBuffer in, String what) throws Violation {
    need(in, 1, what);
    return Byte.toUnsignedInt(in.get());
  }

  private static int positiveInt(ByteBuffer in, String what) throws Violation {
    need(in, 4, what);
    int v = in.getInt();
    if (v < 1) throw new Violation(PROTOCOL_ERROR, what + " out of range");
    return v;
  }

  private static String string(ByteBuffer in, String what, int min, int max, boolean noControl)
      throws Violation {
    need(in, 2, what + " length");
    int len = Short.toUnsignedInt(in.getShort());
    if (len < min || len > max)
      throw new Violation(PROTOCOL_ERROR, what + " length " + len + " out of range");
    need(in, len, what);
    ByteBuffer slice = in.slice(in.position(), len);
    in.position(in.position() + len);
    String s;
    try {
      s =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(slice)
              .toString();
    } catch (CharacterCodingException e) {
      throw new Violation(PROTOCOL_ERROR, what + " is not valid UTF-8");
    }
    if (noControl && FrameRules.hasControl(s)) {
      throw new Violation(PROTOCOL_ERROR, what + " contains control characters");
    }
    return s;
  }

  private static String hex(byte b) {
    return String.format("%02x", b & 0xFF);
  }

  private static String name(byte type) {
    return switch (type) {
      case Frame.TYPE_HELLO -> "HELLO";
      case Frame.TYPE_HELLO_OK -> "HELLO_OK";
      case Frame.TYPE_OPEN -> "OPEN";
      case Frame.TYPE_OPEN_OK -> "OPEN_OK";
      case Frame.TYPE_OPEN_FAIL -> "OPEN_FAIL";
      case Frame.TYPE_OPEN_DIRECT -> "OPEN_DIRECT";
      case Frame.TYPE_DATA -> "DATA";
      case Frame.TYPE_CLOSE -> "CLOSE";
      case Frame.TYPE_WINDOW -> "WINDOW";
      case Frame.TYPE_PING -> "PING";
      case Frame.TYPE_PONG -> "PONG";
      case Frame.TYPE_GOAWAY -> "GOAWAY";
      default -> "0x" + hex(type);
    };
  }

  /** Internal control flow for protocol violations; never escapes {@link #decode}. */
  private static final class Violation extends Exception {
    final int code;

    Violation(int code, String reason) {
      super(reason, null, false, false);
      this.code = code;
    }
  }
}
