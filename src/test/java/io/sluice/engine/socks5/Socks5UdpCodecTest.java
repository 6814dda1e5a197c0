package io.sluice.engine.socks5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class Socks5UdpCodecTest {

  private static final List<Socks5UdpCodec.Header> HEADERS =
      List.of(
          new Socks5UdpCodec.Header(0, Socks5Codes.ATYP_IPV4, "192.0.2.1", 53),
          new Socks5UdpCodec.Header(0, Socks5Codes.ATYP_IPV6, "2001:db8::1", 443),
          new Socks5UdpCodec.Header(0, Socks5Codes.ATYP_DOMAIN, "example.com", 65535),
          new Socks5UdpCodec.Header(3, Socks5Codes.ATYP_DOMAIN, "a", 0));

  private static ByteBuf encoded(Socks5UdpCodec.Header h, String data) {
    ByteBuf b = Unpooled.buffer();
    Socks5UdpCodec.encode(b, h);
    b.writeBytes(data.getBytes(StandardCharsets.US_ASCII));
    return b;
  }

  @Test
  void roundTripLeavesTheReaderAtData() {
    for (Socks5UdpCodec.Header h : HEADERS) {
      ByteBuf b = encoded(h, "payload");
      int length = Socks5UdpCodec.headerLength(b);
      assertThat(length).isEqualTo(b.readableBytes() - 7);
      assertThat(Socks5UdpCodec.decode(b)).isEqualTo(new Socks5UdpCodec.Ok(h));
      assertThat(b.readerIndex()).isEqualTo(length);
      assertThat(b.toString(StandardCharsets.US_ASCII)).isEqualTo("payload");
    }
  }

  @Test
  void wireFormatIsRfc1928Section7() {
    ByteBuf b = Unpooled.buffer();
    Socks5UdpCodec.encode(
        b, new Socks5UdpCodec.Header(0, Socks5Codes.ATYP_IPV4, "10.1.2.3", 0x1234));
    assertThat(ByteBufUtil.hexDump(b)).isEqualTo("0000" + "00" + "01" + "0a010203" + "1234");
    b = Unpooled.buffer();
    Socks5UdpCodec.encode(b, new Socks5UdpCodec.Header(0, Socks5Codes.ATYP_DOMAIN, "ab", 80));
    assertThat(ByteBufUtil.hexDump(b)).isEqualTo("0000" + "00" + "03" + "02" + "6162" + "0050");
  }

  @Test
  void encodingAResolvedAddressMatchesItsHeader() throws Exception {
    for (String literal : List.of("198.51.100.7", "2001:db8::7")) {
      InetAddress a = InetAddress.getByName(literal);
      ByteBuf direct = Unpooled.buffer();
      Socks5UdpCodec.encode(direct, a, 9000);
      ByteBuf viaHeader = Unpooled.buffer();
      Socks5UdpCodec.encode(viaHeader, Socks5UdpCodec.Header.of(a, 9000));
      assertThat(ByteBufUtil.hexDump(direct)).isEqualTo(ByteBufUtil.hexDump(viaHeader));
      assertThat(((Socks5UdpCodec.Ok) Socks5UdpCodec.decode(direct)).header().port())
          .isEqualTo(9000);
    }
  }

  @Test
  void everyTruncationIsMalformed() {
    for (Socks5UdpCodec.Header h : HEADERS) {
      ByteBuf whole = encoded(h, "");
      for (int n = 0; n < whole.readableBytes(); n++) {
        ByteBuf cut = whole.slice(0, n);
        assertThat(Socks5UdpCodec.headerLength(cut)).as("%s cut to %d", h, n).isEqualTo(-1);
        assertThat(Socks5UdpCodec.decode(cut.duplicate()))
            .as("%s cut to %d", h, n)
            .isInstanceOf(Socks5UdpCodec.Malformed.class);
      }
      assertThat(Socks5UdpCodec.decode(whole)).isInstanceOf(Socks5UdpCodec.Ok.class);
    }
    assertThat(Socks5UdpCodec.decode(Unpooled.wrappedBuffer(new byte[3])))
        .isEqualTo(new Socks5UdpCodec.Malformed("short header"));
  }

  @Test
  void unknownAddressTypesAndInvalidNamesAreMalformed() {
    ByteBuf atyp = Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 2, 1, 2, 3, 4, 0, 80});
    assertThat(Socks5UdpCodec.headerLength(atyp)).isEqualTo(-1);
    assertThat(Socks5UdpCodec.decode(atyp)).isEqualTo(new Socks5UdpCodec.Malformed("ATYP 2"));
    ByteBuf name =
        Unpooled.buffer()
            .writeBytes(new byte[] {0, 0, 0, 3, 3})
            .writeBytes("a b".getBytes(StandardCharsets.US_ASCII))
            .writeShort(80);
    assertThat(Socks5UdpCodec.decode(name)).isEqualTo(new Socks5UdpCodec.Malformed("bad DST.ADDR"));
  }

  @Test
  void headersOutsideTheFormatAreRejected() {
    assertThatThrownBy(() -> new Socks5UdpCodec.Header(0, 2, "x", 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Socks5UdpCodec.Header(256, 1, "1.2.3.4", 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Socks5UdpCodec.Header(0, 1, "1.2.3.4", 65536))
        .isInstanceOf(IllegalArgumentException.class);
    ByteBuf out = Unpooled.buffer();
    assertThatThrownBy(() ->
            Socks5UdpCodec.encode(
                out, new Socks5UdpCodec.Header(0, Socks5Codes.ATYP_IPV4, "2001:db8::1", 1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() ->
            Socks5UdpCodec.encode(
                out, new Socks5UdpCodec.Header(0, Socks5Codes.ATYP_IPV6, "example.com", 1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() ->
            Socks5UdpCodec.encode(
                out, new Socks5UdpCodec.Header(0, Socks5Codes.ATYP_DOMAIN, "a".repeat(256), 1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(out.readableBytes()).as("nothing written on failure").isZero();
  }
}
