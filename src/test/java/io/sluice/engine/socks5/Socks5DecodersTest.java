package io.sluice.engine.socks5;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.ResourceLeakDetector;
import io.sluice.engine.core.SessionEstablisher;
import io.sluice.engine.spi.Authenticator;
import io.sluice.engine.spi.EngineEvents;
import io.sluice.engine.support.EmbeddedContext;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Phase decoders and the handshake driver on EmbeddedChannel: truncation, lies, bad values. */
class Socks5DecodersTest {

  @BeforeAll
  static void paranoid() {
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
  }

  private static byte[] bytes(int... v) {
    byte[] b = new byte[v.length];
    for (int i = 0; i < v.length; i++) {
      b[i] = (byte) v[i];
    }
    return b;
  }

  /** Every strict prefix of {@code full} yields nothing; the whole message yields one message. */
  private static Object assertPrefixesWait(Supplier<ByteToMessageDecoder> decoder, byte[] full) {
    for (int cut = 0; cut < full.length; cut++) {
      EmbeddedChannel ch = new EmbeddedChannel(decoder.get());
      ch.writeInbound(Unpooled.wrappedBuffer(full, 0, cut));
      assertThat((Object) ch.readInbound()).as("prefix of %d bytes", cut).isNull();
      assertThat(ch.finish()).as("EOF after %d bytes emits nothing", cut).isFalse();
    }
    EmbeddedChannel ch = new EmbeddedChannel(decoder.get());
    // also byte by byte
    for (byte b : full) {
      ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
    }
    Object msg = ch.readInbound();
    assertThat(msg).isNotNull();
    assertThat((Object) ch.readInbound()).isNull();
    ch.finishAndReleaseAll();
    return msg;
  }

  private static Socks5Message decodeOne(ByteToMessageDecoder decoder, byte[] input) {
    EmbeddedChannel ch = new EmbeddedChannel(decoder);
    ch.writeInbound(Unpooled.wrappedBuffer(input));
    Socks5Message m = ch.readInbound();
    ch.finishAndReleaseAll();
    return m;
  }

  @Test
  void greetingTruncatedAtEveryField() {
    Object m = assertPrefixesWait(Socks5GreetingDecoder::new, bytes(5, 2, 0, 2));
    assertThat(((Socks5Message.Greeting) m).methods()).containsExactly(0, 2);
  }

  @Test
  void greetingLyingNmethodsWaitsThenNothing() {
    EmbeddedChannel ch = new EmbeddedChannel(new Socks5GreetingDecoder());
    ch.writeInbound(Unpooled.wrappedBuffer(bytes(5, 9, 0, 2)));
    assertThat((Object) ch.readInbound()).isNull();
    assertThat(ch.finish()).isFalse();
  }

  @Test
  void greetingWrongVersionOrNoMethodsRepliesFF() {
    for (byte[] in : new byte[][] {bytes(4, 1, 0), bytes(5, 0), bytes(0x47, 0x45, 0x54)}) {
      Socks5Message m = decodeOne(new Socks5GreetingDecoder(), in);
      assertThat(m).isInstanceOf(Socks5Message.Malformed.class);
      assertThat(((Socks5Message.Malformed) m).reply()).containsExactly(5, 0xFF);
    }
  }

  @Test
  void passwordTruncatedAtEveryField() {
    byte[] full = bytes(1, 5, 'a', 'l', 'i', 'c', 'e', 3, 'p', 'w', 'd');
    Socks5Message.Credentials c =
        (Socks5Message.Credentials) assertPrefixesWait(Socks5PasswordDecoder::new, full);
    assertThat(c.username()).isEqualTo("alice");
    assertThat(c.password()).isEqualTo("pwd");
    assertThat(c.toString()).doesNotContain("pwd");
  }

  @Test
  void passwordEmptyPasswordAccepted() {
    Socks5Message m = decodeOne(new Socks5PasswordDecoder(), bytes(1, 1, 'a', 0));
    assertThat(m).isEqualTo(new Socks5Message.Credentials("a", ""));
  }

  @Test
  void passwordLyingLengthsWait() {
    EmbeddedChannel ch = new EmbeddedChannel(new Socks5PasswordDecoder());
    ch.writeInbound(Unpooled.wrappedBuffer(bytes(1, 200, 'a', 'b', 3, 'x')));
    assertThat((Object) ch.readInbound()).isNull();
    assertThat(ch.finish()).isFalse();
  }

  @Test
  void passwordWrongVersionOrEmptyUserReplies0101() {
    for (byte[] in : new byte[][] {bytes(5, 1, 'a', 1, 'b'), bytes(1, 0, 1, 'b')}) {
      Socks5Message m = decodeOne(new Socks5PasswordDecoder(), in);
      assertThat(((Socks5Message.Malformed) m).reply()).containsExactly(1, 1);
    }
  }

  @Test
  void requestIpv4TruncatedAtEveryField() {
    Object m =
        assertPrefixesWait(Socks5RequestDecoder::new, bytes(5, 1, 0, 1, 10, 0, 0, 7, 0x1F, 0x90));
    assertThat(m).isEqualTo(new Socks5Message.Request(1, 1, "10.0.0.7", 8080));
  }

  @Test
  void requestIpv6TruncatedAtEveryField() {
    byte[] full = new byte[22];
    full[0] = 5;
    full[1] = 3;
    full[3] = 4;
    full[19] = 1;
    full[20] = 0;
    full[21] = 53;
    Object m = assertPrefixesWait(Socks5RequestDecoder::new, full);
    assertThat(m).isEqualTo(new Socks5Message.Request(3, 4, "::1", 53));
  }

  @Test
  void requestDomainTruncatedAtEveryField() {
    Object m =
        assertPrefixesWait(
            Socks5RequestDecoder::new,
            bytes(5, 2, 0, 3, 9, 'l', 'o', 'c', 'a', 'l', 'h', 'o', 's', 't', 0, 80));
    assertThat(m).isEqualTo(new Socks5Message.Request(2, 3, "localhost", 80));
  }

  @Test
  void requestLyingDomainLengthWaits() {
    EmbeddedChannel ch = new EmbeddedChannel(new Socks5RequestDecoder());
    ch.writeInbound(Unpooled.wrappedBuffer(bytes(5, 1, 0, 3, 50, 'a', 'b', 0, 80)));
    assertThat((Object) ch.readInbound()).isNull();
    assertThat(ch.finish()).isFalse();
  }

  @Test
  void requestBadFieldsGetTheirRep() {
    assertRep(bytes(4, 1, 0, 1, 1, 2, 3, 4, 0, 80), 0x01);
    assertRep(bytes(5, 9, 0, 1, 1, 2, 3, 4, 0, 80), 0x07);
    assertRep(bytes(5, 0, 0, 1, 1, 2, 3, 4, 0, 80), 0x07);
    assertRep(bytes(5, 1, 0, 2, 1, 2, 3, 4, 0, 80), 0x08);
    assertRep(bytes(5, 1, 0, 3, 0, 0, 80), 0x04);
    assertRep(bytes(5, 1, 0, 3, 3, 'a', ' ', 'b', 0, 80), 0x04);
    assertRep(bytes(5, 1, 0, 3, 3, 'a', '.', '.', 0, 80), 0x04);
  }

  private static void assertRep(byte[] request, int rep) {
    Socks5Message m = decodeOne(new Socks5RequestDecoder(), request);
    assertThat(((Socks5Message.Malformed) m).reply())
        .as("reply to %s", ByteBufUtil.hexDump(request))
        .containsExactly(5, rep, 0, 1, 0, 0, 0, 0, 0, 0);
  }

  /** The whole handshake on an EmbeddedChannel: reply bytes then close, for each bad input. */
  private static EmbeddedChannel handshake(boolean authRequired) {
    var ctx = EmbeddedContext.create(Authenticator.allowAll(), EngineEvents.NONE);
    EmbeddedChannel ch = new EmbeddedChannel();
    ch.pipeline().addLast(Socks5Handshake.DECODER, new Socks5GreetingDecoder());
    ch.pipeline()
        .addLast(
            Socks5Handshake.NAME,
            new Socks5Handshake(
                ctx,
                new SessionEstablisher(ctx),
                new io.sluice.engine.spi.ConnectionInfo("t", null, "x", null),
                authRequired));
    return ch;
  }

  private static byte[] outbound(EmbeddedChannel ch) {
    ByteBuf all = Unpooled.buffer();
    ByteBuf b;
    while ((b = ch.readOutbound()) != null) {
      all.writeBytes(b);
      b.release();
    }
    byte[] r = ByteBufUtil.getBytes(all);
    all.release();
    return r;
  }

  @Test
  void handshakeUnknownCommandRepliesRep07AndCloses() {
    EmbeddedChannel ch = handshake(false);
    ch.writeInbound(Unpooled.wrappedBuffer(bytes(5, 1, 0)));
    assertThat(outbound(ch)).containsExactly(5, 0);
    ch.writeInbound(Unpooled.wrappedBuffer(bytes(5, 7, 0, 1, 1, 2, 3, 4, 0, 80)));
    ch.runPendingTasks();
    assertThat(outbound(ch)).containsExactly(5, 7, 0, 1, 0, 0, 0, 0, 0, 0);
    assertThat(ch.isOpen()).isFalse();
    ch.finishAndReleaseAll();
  }

  @Test
  void handshakeUnknownAtypRepliesRep08AndCloses() {
    EmbeddedChannel ch = handshake(false);
    ch.writeInbound(Unpooled.wrappedBuffer(bytes(5, 1, 0, 5, 1, 0, 9, 1, 2)));
    assertThat(outbound(ch)).containsExactly(5, 0, 5, 8, 0, 1, 0, 0, 0, 0, 0, 0);
    assertThat(ch.isOpen()).isFalse();
    ch.finishAndReleaseAll();
  }

  @Test
  void handshakeWrongVersionRepliesFFAndCloses() {
    EmbeddedChannel ch = handshake(true);
    ch.writeInbound(Unpooled.wrappedBuffer(bytes(6, 1, 0)));
    assertThat(outbound(ch)).containsExactly(5, 0xFF);
    assertThat(ch.isOpen()).isFalse();
    ch.finishAndReleaseAll();
  }

  @Test
  void handshakeNoAuthOfferedWhenRequiredAndSourceRejectedRepliesFF() {
    var ctx = EmbeddedContext.create(new io.sluice.engine.support.TestAuth(), EngineEvents.NONE);
    EmbeddedChannel ch = new EmbeddedChannel();
    ch.pipeline().addLast(Socks5Handshake.DECODER, new Socks5GreetingDecoder());
    ch.pipeline()
        .addLast(
            Socks5Handshake.NAME,
            new Socks5Handshake(
                ctx,
                new SessionEstablisher(ctx),
                new io.sluice.engine.spi.ConnectionInfo("t", null, "x", null),
                true));
    ch.writeInbound(Unpooled.wrappedBuffer(bytes(5, 1, 0)));
    ch.runPendingTasks();
    assertThat(outbound(ch)).containsExactly(5, 0xFF);
    assertThat(ch.isOpen()).isFalse();
    ch.finishAndReleaseAll();
  }

  @Test
  void handshakeBadAuthVersionReplies0101AndCloses() {
    EmbeddedChannel ch = handshake(true);
    ch.writeInbound(Unpooled.wrappedBuffer(bytes(5, 1, 2)));
    assertThat(outbound(ch)).containsExactly(5, 2);
    ch.writeInbound(Unpooled.wrappedBuffer(bytes(9, 1, 'a', 1, 'b')));
    assertThat(outbound(ch)).containsExactly(1, 1);
    assertThat(ch.isOpen()).isFalse();
    ch.finishAndReleaseAll();
  }

  /**
   * Random garbage after a valid prefix of each phase: the handshake never throws into the
   * pipeline, and it either keeps waiting or has answered and closed; nothing is left unreleased.
   */
  @Test
  void randomInputIsAnsweredOrAwaitedNeverThrown() {
    java.util.Random random = new java.util.Random(1928);
    byte[][] prefixes = {bytes(), bytes(5), bytes(5, 1, 0), bytes(5, 2, 0, 2)};
    for (int i = 0; i < 3000; i++) {
      EmbeddedChannel ch = handshake(i % 2 == 0);
      byte[] noise = new byte[random.nextInt(40)];
      random.nextBytes(noise);
      byte[] prefix = prefixes[i % prefixes.length];
      ch.writeInbound(Unpooled.wrappedBuffer(prefix));
      ch.writeInbound(Unpooled.wrappedBuffer(noise));
      ch.runPendingTasks();
      ch.checkException(); // rethrows anything that reached the end of the pipeline
      byte[] out = outbound(ch);
      if (!ch.isOpen()) {
        assertThat(out)
            .as("closed without a reply for %s", ByteBufUtil.hexDump(noise))
            .isNotEmpty();
      }
      ch.finishAndReleaseAll();
    }
  }
}
