package io.sluice.engine.tunnel;

import java.util.Arrays;

/**
 * One tunnel frame (= one binary WebSocket message): {@code type (u8) | stream id (u32 BE) |
 * payload}. Stream id 0 is the connection; stream-bound frames carry an odd id in {@code [1,
 * 0xFFFFFFFF]}. The record constructors enforce every field rule of the protocol ({@code
 * FrameRules}), so an instance is always encodable; invalid arguments throw {@link
 * IllegalArgumentException}. Strings are measured in UTF-8 bytes and must be well-formed (no
 * unpaired surrogates).
 */
public sealed interface Frame
    permits Frame.Hello,
        Frame.HelloOk,
        Frame.Open,
        Frame.OpenOk,
        Frame.OpenFail,
        Frame.OpenDirect,
        Frame.Data,
        Frame.Close,
        Frame.Window,
        Frame.Ping,
        Frame.Pong,
        Frame.GoAway {

  byte TYPE_HELLO = 0x01;
  byte TYPE_HELLO_OK = 0x02;
  byte TYPE_OPEN = 0x10;
  byte TYPE_OPEN_OK = 0x11;
  byte TYPE_OPEN_FAIL = 0x12;
  byte TYPE_OPEN_DIRECT = 0x13;
  byte TYPE_DATA = 0x20;
  byte TYPE_CLOSE = 0x21;
  byte TYPE_WINDOW = 0x22;
  byte TYPE_PING = 0x30;
  byte TYPE_PONG = 0x31;
  byte TYPE_GOAWAY = 0x3F;

  /** The only protocol version defined here. */
  int PROTOCOL_VERSION = 1;

  /** Largest stream id (unsigned 32 bits). */
  long MAX_STREAM_ID = 0xFFFF_FFFFL;

  /** Largest window / credit value (2^31 - 1). */
  int MAX_WINDOW = Integer.MAX_VALUE;

  int MAX_AGENT_ID_BYTES = 64;
  int MAX_TOKEN_BYTES = 256;
  int MAX_SOFTWARE_VERSION_BYTES = 64;
  int MAX_HOST_BYTES = 255;
  int MAX_MESSAGE_BYTES = 255;

  /** Length of the one-time key of {@link OpenDirect}. */
  int DIRECT_KEY_BYTES = 16;

  /** 0 for connection-level frames, otherwise the odd stream id. */
  long streamId();

  /** The wire type byte. */
  byte type();

  // ---------------------------------------------------------------- connection-level frames

  /**
   * HELLO (agent to server, first frame). {@code version} is a raw u8 so that a server can see and
   * refuse unknown versions. {@code toString()} never prints the token.
   */
  record Hello(int version, String agentId, String token, String softwareVersion) implements Frame {
    public Hello {
      if (version < 0 || version > 255) throw new IllegalArgumentException("version must be a u8");
      FrameRules.text("agent id", agentId, 1, MAX_AGENT_ID_BYTES, true);
      FrameRules.text("token", token, 1, MAX_TOKEN_BYTES, false);
      FrameRules.text("software version", softwareVersion, 0, MAX_SOFTWARE_VERSION_BYTES, true);
    }

    @Override
    public long streamId() {
      return 0;
    }

    @Override
    public byte type() {
      return TYPE_HELLO;
    }

    @Override
    public String toString() {
      return "Hello[version="
          + version
          + ", agentId="
          + agentId
          + ", token=<redacted>, softwareVersion="
          + softwareVersion
          + "]";
    }
  }

  /** HELLO_OK (server to agent): settings chosen by the server; both in {@code [1, 2^31-1]}. */
  record HelloOk(int initialWindow, int maxFramePayload) implements Frame {
    public HelloOk {
      FrameRules.positive("initial window", initialWindow);
      FrameRules.positive("max frame payload", maxFramePayload);
    }

    @Override
    public long streamId() {
      return 0;
    }

    @Override
    public byte type() {
      return TYPE_HELLO_OK;
    }
  }

  /** PING: 8 opaque bytes the peer echoes in a PONG. */
  record Ping(long opaque) implements Frame {
    @Override
    public long streamId() {
      return 0;
    }

    @Override
    public byte type() {
      return TYPE_PING;
    }
  }

  /** PONG: the 8 bytes of the PING it answers. */
  record Pong(long opaque) implements Frame {
    @Override
    public long streamId() {
      return 0;
    }

    @Override
    public byte type() {
      return TYPE_PONG;
    }
  }

  /** GOAWAY: the sender closes the connection after this frame. Reason: 0..255 UTF-8 bytes. */
  record GoAway(String reason) implements Frame {
    public GoAway {
      FrameRules.text("reason", reason, 0, MAX_MESSAGE_BYTES, false);
    }

    @Override
    public long streamId() {
      return 0;
    }

    @Override
    public byte type() {
      return TYPE_GOAWAY;
    }
  }

  // ---------------------------------------------------------------- stream-level frames

  /**
   * OPEN (server to agent): connect to {@code host:port}. Host: 1..255 UTF-8 bytes, no control
   * chars.
   */
  record Open(long streamId, String host, int port) implements Frame {
    public Open {
      FrameRules.target(streamId, host, port);
    }

    @Override
    public byte type() {
      return TYPE_OPEN;
    }
  }

  /**
   * OPEN_DIRECT (server to agent; only to an agent that announced the {@code direct} feature at the
   * upgrade): like {@link Open}, and the agent may carry the stream over a TCP connection of its
   * own to {@code dataPort} on the server, which starts with {@code key} (a one-time secret of
   * {@link #DIRECT_KEY_BYTES} bytes). An agent that cannot reach the data port answers OPEN_OK and
   * relays in frames as after OPEN. The key is copied on construction and on access and never
   * printed.
   */
  record OpenDirect(long streamId, String host, int port, int dataPort, byte[] key)
      implements Frame {
    public OpenDirect {
      FrameRules.target(streamId, host, port);
      FrameRules.port("data port", dataPort);
      key = FrameRules.directKey(key);
    }

    @Override
    public byte[] key() {
      return key.clone();
    }

    @Override
    public byte type() {
      return TYPE_OPEN_DIRECT;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof OpenDirect d
          && d.streamId == streamId
          && d.host.equals(host)
          && d.port == port
          && d.dataPort == dataPort
          && Arrays.equals(d.key, key);
    }

    @Override
    public int hashCode() {
      return Long.hashCode(streamId) * 31 + host.hashCode() * 17 + port;
    }

    @Override
    public String toString() {
      return "OpenDirect[streamId="
          + streamId
          + ", host="
          + host
          + ", port="
          + port
          + ", dataPort="
          + dataPort
          + "]";
    }
  }

  /** OPEN_OK (agent to server): the target connection is established. */
  record OpenOk(long streamId) implements Frame {
    public OpenOk {
      FrameRules.streamId(streamId);
    }

    @Override
    public byte type() {
      return TYPE_OPEN_OK;
    }
  }

  /**
   * OPEN_FAIL (agent to server): reason code 1..5 plus a message of 0..255 UTF-8 bytes ("" = none).
   */
  record OpenFail(long streamId, int reason, String message) implements Frame {
    public static final int NOT_ALLOWED = 1;
    public static final int UNREACHABLE = 2;
    public static final int REFUSED = 3;
    public static final int TIMEOUT = 4;
    public static final int GENERAL = 5;

    public OpenFail {
      FrameRules.streamId(streamId);
      if (reason < NOT_ALLOWED || reason > GENERAL)
        throw new IllegalArgumentException("reason must be in [1, 5]");
      FrameRules.text("message", message, 0, MAX_MESSAGE_BYTES, false);
    }

    @Override
    public byte type() {
      return TYPE_OPEN_FAIL;
    }
  }

  /**
   * DATA: 1..maxPayload bytes of stream content (the upper bound is the codec's). The array is
   * copied on construction and on access; equality is by content.
   */
  record Data(long streamId, byte[] bytes) implements Frame {
    public Data {
      FrameRules.streamId(streamId);
      if (bytes == null || bytes.length == 0)
        throw new IllegalArgumentException("DATA must carry at least 1 byte");
      bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
      return bytes.clone();
    }

    /** Number of payload bytes (what flow control counts). */
    public int length() {
      return bytes.length;
    }

    /** Read-only view of the payload, without copying. */
    public java.nio.ByteBuffer buffer() {
      return java.nio.ByteBuffer.wrap(bytes).asReadOnlyBuffer();
    }

    @Override
    public byte type() {
      return TYPE_DATA;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Data d && d.streamId == streamId && Arrays.equals(d.bytes, bytes);
    }

    @Override
    public int hashCode() {
      return Long.hashCode(streamId) * 31 + Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
      return "Data[streamId=" + streamId + ", length=" + bytes.length + "]";
    }
  }

  /**
   * CLOSE: flags bit0 {@link #FIN} (sender finished writing, half-close), bit1 {@link #RESET}
   * (abort). At least one bit set; other bits must be 0. RESET wins if both are set.
   */
  record Close(long streamId, int flags) implements Frame {
    public static final int FIN = 0x01;
    public static final int RESET = 0x02;

    public Close {
      FrameRules.streamId(streamId);
      if (flags < 1 || flags > (FIN | RESET))
        throw new IllegalArgumentException("flags must be FIN, RESET or both");
    }

    public boolean fin() {
      return (flags & FIN) != 0;
    }

    public boolean reset() {
      return (flags & RESET) != 0;
    }

    @Override
    public byte type() {
      return TYPE_CLOSE;
    }
  }

  /** WINDOW: grants the peer {@code increment} (1..2^31-1) more DATA bytes on the stream. */
  record Window(long streamId, int increment) implements Frame {
    public Window {
      FrameRules.streamId(streamId);
      FrameRules.positive("increment", increment);
    }

    @Override
    public byte type() {
      return TYPE_WINDOW;
    }
  }
}
