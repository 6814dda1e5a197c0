package io.sluice.engine.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class FrameCodecProperties {

  private final FrameCodec codec = new FrameCodec(FrameCodec.DEFAULT_MAX_PAYLOAD);

  @Property(tries = 2000)
  void decodeOfEncodeIsIdentity(@ForAll("frames") Frame f) {
    DecodeResult r = codec.decode(codec.encode(f), !(f instanceof Frame.Hello));
    assertThat(r).isEqualTo(new DecodeResult.Ok(f));
  }

  @Property(tries = 2000)
  void mutatedFramesNeverThrow(
      @ForAll("frames") Frame f, @ForAll int pos, @ForAll byte value, @ForAll boolean auth) {
    ByteBuffer wire = codec.encode(f);
    byte[] b = new byte[wire.remaining()];
    wire.get(b);
    b[Math.floorMod(pos, b.length)] = value;
    DecodeResult r = codec.decode(ByteBuffer.wrap(b), auth);
    assertThat(r).isNotNull();
  }

  @Provide
  Arbitrary<Frame> frames() {
    Arbitrary<Long> sid =
        Arbitraries.longs().between(0, (Frame.MAX_STREAM_ID - 1) / 2).map(n -> 2 * n + 1);
    Arbitrary<Integer> positive = Arbitraries.integers().between(1, Integer.MAX_VALUE);
    return Arbitraries.oneOf(
        Combinators.combine(
                Arbitraries.integers().between(0, 255),
                text(1, 64, true),
                text(1, 256, false),
                text(0, 64, true))
            .as(Frame.Hello::new),
        Combinators.combine(positive, positive).as(Frame.HelloOk::new),
        Combinators.combine(sid, text(1, 255, true), Arbitraries.integers().between(1, 65535))
            .as(Frame.Open::new),
        Combinators.combine(
                sid,
                text(1, 255, true),
                Arbitraries.integers().between(1, 65535),
                Arbitraries.integers().between(1, 65535),
                Arbitraries.bytes().array(byte[].class).ofSize(Frame.DIRECT_KEY_BYTES))
            .as(Frame.OpenDirect::new),
        sid.map(Frame.OpenOk::new),
        Combinators.combine(sid, Arbitraries.integers().between(1, 5), text(0, 255, false))
            .as(Frame.OpenFail::new),
        Combinators.combine(
                sid, Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(2048))
            .as(Frame.Data::new),
        Combinators.combine(sid, Arbitraries.integers().between(1, 3)).as(Frame.Close::new),
        Combinators.combine(sid, positive).as(Frame.Window::new),
        Arbitraries.longs().map(Frame.Ping::new),
        Arbitraries.longs().map(Frame.Pong::new),
        text(0, 255, false).map(Frame.GoAway::new));
  }

  /** Strings of any Unicode (incl. supplementary) whose UTF-8 length is within [min, max] bytes. */
  private static Arbitrary<String> text(int minBytes, int maxBytes, boolean noControl) {
    Arbitrary<Integer> cp =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(5, Arbitraries.integers().between(0x20, 0x7E)),
            net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0, 0x1F)),
            net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(0x80, 0x7FF)),
            net.jqwik.api.Tuple.of(
                2,
                Arbitraries.integers()
                    .between(0x800, 0xFFFF)
                    .filter(c -> c < 0xD800 || c > 0xDFFF)),
            net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(0x10000, 0x10FFFF)));
    return cp.list()
        .ofMaxSize(maxBytes)
        .map(cps -> {
          StringBuilder sb = new StringBuilder();
          int bytes = 0;
          for (int c : cps) {
            if (noControl && Character.isISOControl(c)) continue;
            int n = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
            if (bytes + n > maxBytes) break;
            sb.appendCodePoint(c);
            bytes += n;
          }
          while (bytes < minBytes) {
            sb.append('a');
            bytes++;
          }
          return sb.toString();
        });
  }
}
