package io.sluice.engine.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class FrameCodecTest {

  private final FrameCodec codec = new FrameCodec(FrameCodec.DEFAULT_MAX_PAYLOAD);

  private static String repeat(String s, int n) {
    return s.repeat(n);
  }

  static Stream<Frame> frames() {
    byte[] max = new byte[FrameCodec.DEFAULT_MAX_PAYLOAD];
    new Random(1).nextBytes(max);
    return Stream.of(
        new Frame.Hello(1, "agent-1", "secret", "1.2.3"),
        new Frame.Hello(1, "a", "t", ""),
        new Frame.Hello(255, repeat("x", 64), repeat("t", 256), repeat("v", 64)),
        new Frame.Hello(1, repeat("é", 32), repeat("€", 85), repeat("😀", 16)),
        new Frame.HelloOk(256 * 1024, 65536),
        new Frame.HelloOk(1, 1),
        new Frame.HelloOk(Integer.MAX_VALUE, Integer.MAX_VALUE),
        new Frame.Open(1, "example.com", 443),
        new Frame.Open(Frame.MAX_STREAM_ID, repeat("h", 255), 65535),
        new Frame.Open(3, "2001:db8::1", 1),
        new Frame.Open(5, "bücher.example", 80),
        new Frame.OpenDirect(7, "10.0.0.1", 5432, 9081, new byte[Frame.DIRECT_KEY_BYTES]),
        new Frame.OpenOk(1),
        new Frame.OpenOk(Frame.MAX_STREAM_ID),
        new Frame.OpenFail(1, Frame.OpenFail.NOT_ALLOWED, ""),
        new Frame.OpenFail(7, Frame.OpenFail.GENERAL, repeat("m", 255)),
        new Frame.OpenFail(9, Frame.OpenFail.TIMEOUT, "connect timed out"),
        new Frame.Data(1, new byte[] {0}),
        new Frame.Data(11, max),
        new Frame.Close(1, Frame.Close.FIN),
        new Frame.Close(1, Frame.Close.RESET),
        new Frame.Close(1, Frame.Close.FIN | Frame.Close.RESET),
        new Frame.Window(1, 1),
        new Frame.Window(13, Integer.MAX_VALUE),
        new Frame.Ping(0),
        new Frame.Ping(Long.MIN_VALUE),
        new Frame.Pong(-1),
        new Frame.GoAway(""),
        new Frame.GoAway(repeat("r", 255)));
  }

  @ParameterizedTest
  @MethodSource("frames")
  void roundTrip(Frame f) {
    ByteBuffer wire = codec.encode(f);
    assertThat(wire.position()).isZero();
    assertThat(wire.get(0)).isEqualTo(f.type());
    assertThat(Integer.toUnsignedLong(wire.getInt(1))).isEqualTo(f.streamId());
    DecodeResult r = codec.decode(wire, !(f instanceof Frame.Hello));
    assertThat(r).isEqualTo(new DecodeResult.Ok(f));
    assertThat(wire.position()).as("decode must not move the caller's buffer").isZero();
  }

  @Test
  void everyFrameTypeIsCovered() {
    assertThat(frames().map(Object::getClass).distinct().count())
        .isEqualTo(Frame.class.getPermittedSubclasses().length);
  }

  @Test
  void openDirectNeverPrintsItsKeyAndRejectsBadKeysAndPorts() {
    byte[] key = new byte[Frame.DIRECT_KEY_BYTES];
    java.util.Arrays.fill(key, (byte) 0x41);
    assertThat(new Frame.OpenDirect(1, "h", 1, 2, key).toString())
        .doesNotContain("AAAA")
        .doesNotContain("65, 65");
    assertThatThrownBy(() -> new Frame.OpenDirect(1, "h", 1, 2, new byte[15]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Frame.OpenDirect(1, "h", 1, 0, key))
        .isInstanceOf(IllegalArgumentException.class);
    ByteBuffer encoded = codec.encode(new Frame.OpenDirect(1, "h", 1, 2, key));
    byte[] wire = new byte[encoded.remaining()];
    encoded.get(wire);
    assertThat(codec.decode(ByteBuffer.wrap(wire), true)).isInstanceOf(DecodeResult.Ok.class);
    byte[] shortKey = java.util.Arrays.copyOf(wire, wire.length - 1);
    wire[10] = 0; // data port 0 (bytes 10-11 after type, id, host)
    wire[11] = 0;
    assertThat(codec.decode(ByteBuffer.wrap(wire), true)).isInstanceOf(DecodeResult.Error.class);
    assertThat(codec.decode(java.nio.ByteBuffer.wrap(shortKey), true))
        .isInstanceOf(DecodeResult.Error.class);
  }

  @Test
  void exactWireLayout() {
    assertThat(bytes(codec.encode(new Frame.Open(1, "ab", 443))))
        .containsExactly(0x10, 0, 0, 0, 1, 0, 2, 'a', 'b', 0x01, 0xBB);
    assertThat(bytes(codec.encode(new Frame.Window(0xFFFF_FFFFL, 0x01020304))))
        .containsExactly(0x22, 0xFF, 0xFF, 0xFF, 0xFF, 1, 2, 3, 4);
    assertThat(bytes(codec.encode(new Frame.Hello(1, "a", "t", ""))))
        .containsExactly(0x01, 0, 0, 0, 0, 1, 0, 1, 'a', 0, 1, 't', 0, 0);
    assertThat(bytes(codec.encode(new Frame.OpenOk(3)))).containsExactly(0x11, 0, 0, 0, 3);
    byte[] key = new byte[Frame.DIRECT_KEY_BYTES];
    key[0] = 9;
    key[15] = (byte) 0xFE;
    assertThat(bytes(codec.encode(new Frame.OpenDirect(1, "ab", 443, 9081, key))))
        .containsExactly(
            0x13, 0, 0, 0, 1, 0, 2, 'a', 'b', 0x01, 0xBB, 0x23, 0x79, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            0, 0, 0, 0, 0, 0xFE);
    assertThat(bytes(codec.encode(new Frame.Close(3, 1)))).containsExactly(0x21, 0, 0, 0, 3, 1);
  }

  @Test
  void decodeHonoursBufferPositionAndLimit() {
    byte[] framed = new byte[20];
    byte[] open = array(codec.encode(new Frame.OpenOk(5)));
    System.arraycopy(open, 0, framed, 3, open.length);
    ByteBuffer b = ByteBuffer.wrap(framed, 3, open.length);
    assertThat(codec.decode(b, true)).isEqualTo(new DecodeResult.Ok(new Frame.OpenOk(5)));
  }

  @Test
  void helloToStringNeverPrintsToken() {
    Frame.Hello h = new Frame.Hello(1, "agent", "s3cr3t-T0k3n", "1.0");
    assertThat(h.toString()).doesNotContain("s3cr3t-T0k3n").contains("agent");
    DecodeResult r = codec.decode(codec.encode(h), false);
    assertThat(r.toString()).doesNotContain("s3cr3t-T0k3n");
  }

  @Test
  void dataIsDefensivelyCopied() {
    byte[] b = {1, 2, 3};
    Frame.Data d = new Frame.Data(1, b);
    b[0] = 9;
    d.bytes()[1] = 9;
    assertThat(d.bytes()).containsExactly(1, 2, 3);
    assertThat(d.toString()).doesNotContain("[1, 2, 3]");
  }

  // ---------------------------------------------------------------- truncation, every field

  static Stream<Frame> truncatable() {
    return frames().filter(f -> !(f instanceof Frame.Data) && !(f instanceof Frame.OpenOk));
  }

  /** Cutting any byte off a frame with a fixed layout must be an error, never a shorter frame. */
  @ParameterizedTest
  @MethodSource("truncatable")
  void everyTruncationIsAnError(Frame f) {
    byte[] wire = array(codec.encode(f));
    boolean auth = !(f instanceof Frame.Hello);
    for (int len = 0; len < wire.length; len++) {
      DecodeResult r = codec.decode(ByteBuffer.wrap(wire, 0, len), auth);
      assertThat(r).as("prefix of %d bytes of %s", len, f).isInstanceOf(DecodeResult.Error.class);
      assertThat(((DecodeResult.Error) r).closeCode()).isEqualTo(1002);
    }
  }

  @Test
  void truncationReasonsNameTheField() {
    assertThat(reason(ByteBuffer.wrap(new byte[] {0x22, 0, 0}))).isEqualTo("truncated header");
    assertThat(reason(hex(0x22, 0, 0, 0, 1, 0, 0))).contains("WINDOW increment");
    assertThat(reason(hex(0x10, 0, 0, 0, 1, 0, 1, 'a'))).contains("OPEN port");
    assertThat(reason(hex(0x10, 0, 0, 0, 1, 0))).contains("OPEN host length");
    assertThat(reason(hex(0x10, 0, 0, 0, 1, 0, 5, 'a'))).contains("truncated OPEN host");
    assertThat(reason(hex(0x12, 0, 0, 0, 1))).contains("OPEN_FAIL reason");
    assertThat(reason(hex(0x12, 0, 0, 0, 1, 2))).contains("OPEN_FAIL message length");
    assertThat(reason(hex(0x21, 0, 0, 0, 1))).contains("CLOSE flags");
    assertThat(reason(hex(0x30, 0, 0, 0, 0, 1, 2, 3))).contains("PING");
    assertThat(reason(hex(0x31, 0, 0, 0, 0))).contains("PONG");
    assertThat(reason(hex(0x02, 0, 0, 0, 0, 0, 0, 1))).contains("HELLO_OK initial window");
    assertThat(reason(hex(0x02, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0)))
        .contains("HELLO_OK max frame payload");
    assertThat(reason(hex(0x3F, 0, 0, 0, 0, 0))).contains("GOAWAY reason length");
    assertThat(reasonPreAuth(hex(0x01, 0, 0, 0, 0))).contains("HELLO version");
    assertThat(reasonPreAuth(hex(0x01, 0, 0, 0, 0, 1, 0, 1, 'a'))).contains("HELLO token length");
    assertThat(reasonPreAuth(hex(0x01, 0, 0, 0, 0, 1, 0, 1, 'a', 0, 1, 't')))
        .contains("HELLO software version length");
  }

  // ---------------------------------------------------------------- lying lengths, trailing bytes

  @Test
  void lyingLengthsAreErrors() {
    // host length says 200, only 2 bytes follow (+ what would be the port)
    assertThat(reason(hex(0x10, 0, 0, 0, 1, 0, 200, 'a', 'b', 0, 80)))
        .contains("truncated OPEN host");
    // length 0xFFFF
    assertThat(reason(hex(0x3F, 0, 0, 0, 0, 0xFF, 0xFF, 'x'))).contains("out of range");
    // agent id length claims 65 (> 64) although bytes are present
    byte[] hello = new byte[5 + 1 + 2 + 65 + 2 + 1 + 2];
    hello[0] = 1;
    hello[5] = 1;
    hello[7] = 65;
    Arrays.fill(hello, 8, 8 + 65, (byte) 'a');
    hello[8 + 65 + 1] = 1;
    hello[8 + 65 + 2] = 't';
    assertThat(reasonPreAuth(ByteBuffer.wrap(hello))).contains("agent id length 65 out of range");
    // length shorter than the rest: the remainder becomes trailing garbage
    assertThat(reason(hex(0x3F, 0, 0, 0, 0, 0, 1, 'a', 'b')))
        .contains("trailing bytes after GOAWAY");
    assertThat(reason(hex(0x11, 0, 0, 0, 1, 0))).contains("trailing bytes after OPEN_OK");
    assertThat(reason(hex(0x22, 0, 0, 0, 1, 0, 0, 0, 1, 0)))
        .contains("trailing bytes after WINDOW");
    assertThat(reason(hex(0x30, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9)))
        .contains("trailing bytes after PING");
  }

  @Test
  void lengthLimitsPerField() {
    assertThat(reason(hex(0x10, 0, 0, 0, 1, 0, 0, 0, 80))).contains("OPEN host length 0");
    byte[] host = new byte[5 + 2 + 256 + 2];
    host[0] = 0x10;
    host[4] = 1;
    host[5] = 1;
    host[6] = 0;
    Arrays.fill(host, 7, 7 + 256, (byte) 'h');
    host[7 + 256 + 1] = 80;
    assertThat(reason(ByteBuffer.wrap(host))).contains("OPEN host length 256 out of range");
    assertThat(reasonPreAuth(hex(0x01, 0, 0, 0, 0, 1, 0, 0))).contains("HELLO agent id length 0");
    assertThat(reasonPreAuth(hex(0x01, 0, 0, 0, 0, 1, 0, 1, 'a', 0, 0, 0, 0)))
        .contains("HELLO token length 0");
    assertThatThrownBy(() -> new Frame.Hello(1, "a", "t".repeat(257), ""))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Frame.Open(1, "é".repeat(128), 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Frame.GoAway("r".repeat(256)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void valueRules() {
    assertThat(reason(hex(0x10, 0, 0, 0, 1, 0, 1, 'a', 0, 0))).isEqualTo("OPEN port 0");
    assertThat(reason(hex(0x12, 0, 0, 0, 1, 0, 0, 0))).contains("unknown reason 0");
    assertThat(reason(hex(0x12, 0, 0, 0, 1, 6, 0, 0))).contains("unknown reason 6");
    assertThat(reason(hex(0x21, 0, 0, 0, 1, 0))).contains("CLOSE invalid flags");
    assertThat(reason(hex(0x21, 0, 0, 0, 1, 4))).contains("CLOSE invalid flags");
    assertThat(reason(hex(0x22, 0, 0, 0, 1, 0, 0, 0, 0))).contains("WINDOW increment out of range");
    assertThat(reason(hex(0x22, 0, 0, 0, 1, 0x80, 0, 0, 0)))
        .contains("WINDOW increment out of range");
    assertThat(reason(hex(0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1)))
        .contains("initial window out of range");
    assertThat(reason(hex(0x20, 0, 0, 0, 1))).isEqualTo("empty DATA");
  }

  // ---------------------------------------------------------------- oversize, unknown type

  @Test
  void oversizeIsMessageTooBig() {
    ByteBuffer ok = codec.encode(new Frame.Data(1, new byte[FrameCodec.DEFAULT_MAX_PAYLOAD]));
    assertThat(codec.decode(ok, true)).isInstanceOf(DecodeResult.Ok.class);
    ByteBuffer big =
        ByteBuffer.allocate(FrameCodec.HEADER_BYTES + FrameCodec.DEFAULT_MAX_PAYLOAD + 1);
    big.put(0, (byte) 0x20).putInt(1, 1);
    DecodeResult r = codec.decode(big, true);
    assertThat(r).isInstanceOf(DecodeResult.Error.class);
    assertThat(((DecodeResult.Error) r).closeCode()).isEqualTo(1009);
    // also before authentication, and for any type
    assertThat(((DecodeResult.Error) codec.decode(big, false)).closeCode()).isEqualTo(1009);
    assertThatThrownBy(
            () -> codec.encode(new Frame.Data(1, new byte[FrameCodec.DEFAULT_MAX_PAYLOAD + 1])))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void configurableMaximum() {
    FrameCodec small = new FrameCodec(1024);
    assertThat(small.decode(small.encode(new Frame.Data(1, new byte[1024])), true))
        .isInstanceOf(DecodeResult.Ok.class);
    ByteBuffer over = new FrameCodec(2048).encode(new Frame.Data(1, new byte[1025]));
    assertThat(((DecodeResult.Error) small.decode(over, true)).closeCode()).isEqualTo(1009);
    assertThatThrownBy(() -> new FrameCodec(511)).isInstanceOf(IllegalArgumentException.class);
    // the largest HELLO still fits the smallest allowed maximum
    FrameCodec min = new FrameCodec(FrameCodec.MIN_MAX_PAYLOAD);
    Frame.Hello big = new Frame.Hello(1, "x".repeat(64), "t".repeat(256), "v".repeat(64));
    assertThat(min.decode(min.encode(big), false)).isEqualTo(new DecodeResult.Ok(big));
  }

  @Test
  void unknownTypeIsProtocolError() {
    for (int t : new int[] {0x00, 0x03, 0x14, 0x23, 0x32, 0x3E, 0x40, 0x7F, 0x80, 0xFF}) {
      DecodeResult r = codec.decode(hex(t, 0, 0, 0, 1, 1), true);
      assertThat(r)
          .isEqualTo(new DecodeResult.Error(1002, String.format("unknown frame type 0x%02x", t)));
    }
    assertThat(codec.decode(ByteBuffer.allocate(0), true))
        .isEqualTo(new DecodeResult.Error(1002, "empty message"));
  }

  // ---------------------------------------------------------------- authentication phase

  @Test
  void beforeAuthenticationOnlyHello() {
    frames()
        .filter(f -> !(f instanceof Frame.Hello))
        .forEach(f ->
            assertThat(codec.decode(codec.encode(f), false))
                .as("%s before auth", f)
                .isEqualTo(new DecodeResult.Error(1008, "expected HELLO")));
    assertThat(codec.decode(hex(0x99), false))
        .isEqualTo(new DecodeResult.Error(1008, "expected HELLO"));
  }

  @Test
  void helloAfterAuthenticationIsAnError() {
    ByteBuffer hello = codec.encode(new Frame.Hello(1, "a", "t", ""));
    assertThat(codec.decode(hello, true))
        .isEqualTo(new DecodeResult.Error(1002, "unexpected HELLO"));
  }

  @Test
  void otherVersionsStillDecodeSoTheServerCanRefuseThem() {
    Frame.Hello v2 = new Frame.Hello(2, "a", "t", "");
    assertThat(codec.decode(codec.encode(v2), false)).isEqualTo(new DecodeResult.Ok(v2));
  }

  // ---------------------------------------------------------------- stream-id rules

  @Test
  void connectionFramesRequireStreamZero() {
    List<byte[]> frames =
        List.of(
            array(codec.encode(new Frame.HelloOk(1, 1))), array(codec.encode(new Frame.Ping(1))),
            array(codec.encode(new Frame.Pong(1))), array(codec.encode(new Frame.GoAway("x"))));
    for (byte[] f : frames) {
      f[4] = 1;
      assertThat(reason(ByteBuffer.wrap(f))).endsWith("must use stream 0");
    }
    byte[] hello = array(codec.encode(new Frame.Hello(1, "a", "t", "")));
    hello[1] = (byte) 0x80;
    assertThat(reasonPreAuth(ByteBuffer.wrap(hello))).isEqualTo("HELLO must use stream 0");
  }

  @Test
  void streamFramesRequireOddNonZeroStream() {
    List<Frame> frames =
        List.of(
            new Frame.Open(1, "h", 1),
            new Frame.OpenOk(1),
            new Frame.OpenFail(1, 2, ""),
            new Frame.Data(1, new byte[] {1}),
            new Frame.Close(1, 1),
            new Frame.Window(1, 1));
    for (Frame f : frames) {
      byte[] zero = array(codec.encode(f));
      zero[4] = 0;
      assertThat(reason(ByteBuffer.wrap(zero))).endsWith("requires a stream id");
      byte[] even = array(codec.encode(f));
      even[4] = 2;
      assertThat(reason(ByteBuffer.wrap(even))).contains("on even stream id 2");
    }
    assertThatThrownBy(() -> new Frame.Data(0, new byte[] {1}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Frame.OpenOk(4)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Frame.OpenOk(Frame.MAX_STREAM_ID + 2))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void streamIdIsUnsigned() {
    ByteBuffer b = codec.encode(new Frame.OpenOk(0xFFFF_FFFFL));
    assertThat(b.getInt(1)).isEqualTo(-1);
    assertThat(((DecodeResult.Ok) codec.decode(b, true)).frame().streamId()).isEqualTo(4294967295L);
  }

  // ---------------------------------------------------------------- UTF-8

  @Test
  void utf8EdgeCases() {
    // 2-, 3- and 4-byte sequences round-trip and are measured in bytes
    Frame.GoAway g = new Frame.GoAway("ä€😀");
    assertThat(codec.encode(g).remaining()).isEqualTo(5 + 2 + 2 + 3 + 4);
    assertThat(codec.decode(codec.encode(g), true)).isEqualTo(new DecodeResult.Ok(g));
    // 64 bytes of 4-byte chars is the agent-id limit; one more char is over
    assertThat(new Frame.Hello(1, "😀".repeat(16), "t", "").agentId()).hasSize(32);
    assertThatThrownBy(() -> new Frame.Hello(1, "😀".repeat(16) + "a", "t", ""))
        .isInstanceOf(IllegalArgumentException.class);
    // unpaired surrogates cannot be encoded faithfully -> rejected at construction
    assertThatThrownBy(() -> new Frame.GoAway("a\uD800b"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Frame.OpenFail(1, 5, "\uDC00"))
        .isInstanceOf(IllegalArgumentException.class);
    // invalid UTF-8 on the wire
    int[][] bad = {
      {0xC3}, // truncated 2-byte sequence
      {0xE2, 0x82}, // truncated 3-byte sequence
      {0x80}, // lone continuation byte
      {0xC0, 0xAF}, // overlong '/'
      {0xE0, 0x80, 0xAF}, // overlong 3-byte
      {0xED, 0xA0, 0x80}, // UTF-8-encoded surrogate (CESU)
      {0xF4, 0x90, 0x80, 0x80}, // above U+10FFFF
      {0xFF}, // never valid
    };
    for (int[] seq : bad) {
      int[] frame = new int[5 + 2 + seq.length];
      frame[0] = 0x3F;
      frame[6] = seq.length;
      System.arraycopy(seq, 0, frame, 7, seq.length);
      assertThat(reason(hex(frame)))
          .as(Arrays.toString(seq))
          .isEqualTo("GOAWAY reason is not valid UTF-8");
    }
    // NUL / control characters are not allowed in host names and agent ids
    assertThat(reason(hex(0x10, 0, 0, 0, 1, 0, 3, 'a', 0, 'b', 0, 80)))
        .contains("control characters");
    assertThat(reasonPreAuth(hex(0x01, 0, 0, 0, 0, 1, 0, 2, 'a', '\n', 0, 1, 't', 0, 0)))
        .contains("control characters");
    assertThatThrownBy(() -> new Frame.Open(1, "a\u0000b", 80))
        .isInstanceOf(IllegalArgumentException.class);
    // ... but are fine in free text
    Frame.GoAway nl = new Frame.GoAway("line1\nline2");
    assertThat(codec.decode(codec.encode(nl), true)).isEqualTo(new DecodeResult.Ok(nl));
  }

  @Test
  void errorReasonsFitTheWebSocketLimit() {
    DecodeResult.Error e = new DecodeResult.Error(1002, "€".repeat(100));
    assertThat(e.reason().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(123);
    assertThat(new DecodeResult.Error(1002, "😀".repeat(100)).reason())
        .doesNotContain("\uFFFD")
        .satisfies(
            s -> assertThat(s.getBytes(StandardCharsets.UTF_8)).hasSizeLessThanOrEqualTo(123));
  }

  // ---------------------------------------------------------------- random bytes never throw

  @Test
  void randomBytesNeverThrow() {
    Random rnd = new Random(0x5EED);
    byte[] types = {0x01, 0x02, 0x10, 0x11, 0x12, 0x20, 0x21, 0x22, 0x30, 0x31, 0x3F};
    for (int i = 0; i < 200_000; i++) {
      byte[] b = new byte[rnd.nextInt(i % 1000 == 0 ? 70_000 : 64)];
      rnd.nextBytes(b);
      if (b.length > 0 && rnd.nextBoolean()) b[0] = types[rnd.nextInt(types.length)];
      if (b.length > 4 && rnd.nextBoolean()) {
        b[1] = 0;
        b[2] = 0;
        b[3] = 0;
        b[4] = (byte) (rnd.nextBoolean() ? 0 : 1);
      }
      if (b.length > 6 && rnd.nextBoolean()) {
        b[5] = 0;
        b[6] = (byte) rnd.nextInt(8);
      }
      DecodeResult r = codec.decode(ByteBuffer.wrap(b), rnd.nextBoolean());
      assertThat(r).isNotNull();
      if (r instanceof DecodeResult.Ok ok) {
        // anything accepted re-encodes to the same bytes
        assertThat(array(codec.encode(ok.frame()))).isEqualTo(b);
      } else {
        assertThat(((DecodeResult.Error) r).reason().getBytes(StandardCharsets.UTF_8).length)
            .isLessThanOrEqualTo(123);
      }
    }
  }

  // ---------------------------------------------------------------- helpers

  private String reason(ByteBuffer b) {
    DecodeResult r = codec.decode(b, true);
    assertThat(r).isInstanceOf(DecodeResult.Error.class);
    assertThat(((DecodeResult.Error) r).closeCode()).isEqualTo(1002);
    return ((DecodeResult.Error) r).reason();
  }

  private String reasonPreAuth(ByteBuffer b) {
    DecodeResult r = codec.decode(b, false);
    assertThat(r).isInstanceOf(DecodeResult.Error.class);
    return ((DecodeResult.Error) r).reason();
  }

  static ByteBuffer hex(int... v) {
    byte[] b = new byte[v.length];
    for (int i = 0; i < v.length; i++) b[i] = (byte) v[i];
    return ByteBuffer.wrap(b);
  }

  static byte[] array(ByteBuffer b) {
    byte[] a = new byte[b.remaining()];
    b.duplicate().get(a);
    return a;
  }

  static int[] bytes(ByteBuffer b) {
    byte[] a = array(b);
    int[] r = new int[a.length];
    for (int i = 0; i < a.length; i++) r[i] = a[i] & 0xFF;
    return r;
  }
}
