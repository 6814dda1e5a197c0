package io.sluice.engine.socks5;

import io.netty.buffer.ByteBuf;
import io.netty.util.NetUtil;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The header of a SOCKS5 UDP datagram, RFC 1928 section 7: RSV (2 octets, X'0000'), FRAG (1), ATYP
 * (1), DST.ADDR (variable), DST.PORT (2), followed by DATA. The one place that parses and writes
 * it, for the direct relay and the relay through an upstream exit. Stateless.
 */
public final class Socks5UdpCodec {

  private Socks5UdpCodec() {}

  /** Octets before DST.ADDR: RSV, FRAG, ATYP. */
  static final int FIXED_PREFIX = 4;

  /**
   * A decoded header. {@code host} is an IP literal for ATYP X'01'/X'04' and a (valid) name for
   * X'03'; {@code frag} 0 means a standalone datagram. {@code port} may be 0 here: whether to relay
   * such a datagram is the relay's decision.
   */
  public record Header(int frag, int atyp, String host, int port) {
    public Header {
      Objects.requireNonNull(host, "host");
      if (frag < 0 || frag > 255) {
        throw new IllegalArgumentException("FRAG " + frag);
      }
      if (atyp != Socks5Codes.ATYP_IPV4
          && atyp != Socks5Codes.ATYP_IPV6
          && atyp != Socks5Codes.ATYP_DOMAIN) {
        throw new IllegalArgumentException("ATYP " + atyp);
      }
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("DST.PORT " + port);
      }
    }

    /** A standalone (FRAG X'00') header for a resolved address: ATYP X'01' or X'04'. */
    public static Header of(InetAddress address, int port) {
      return new Header(
          0,
          address instanceof Inet4Address ? Socks5Codes.ATYP_IPV4 : Socks5Codes.ATYP_IPV6,
          NetUtil.toAddressString(address),
          port);
    }
  }

  /** The outcome of {@link #decode}. */
  public sealed interface Decoded {}

  /** The header was complete and valid; the buffer's reader index is at DATA. */
  public record Ok(Header header) implements Decoded {}

  /**
   * Truncated or invalid header ({@code reason} names the field, for logs); how much of the buffer
   * was consumed is unspecified.
   */
  public record Malformed(String reason) implements Decoded {}

  /** Reads the header at {@code in}'s reader index. */
  public static Decoded decode(ByteBuf in) {
    if (in.readableBytes() < FIXED_PREFIX) {
      return new Malformed("short header");
    }
    in.skipBytes(2);
    int frag = in.readUnsignedByte();
    int atyp = in.readUnsignedByte();
    if (atyp != Socks5Codes.ATYP_IPV4
        && atyp != Socks5Codes.ATYP_IPV6
        && atyp != Socks5Codes.ATYP_DOMAIN) {
      return new Malformed("ATYP " + atyp);
    }
    Socks5Addresses.Read addr = Socks5Addresses.read(atyp, in);
    if (addr == null || addr.host() == null || in.readableBytes() < 2) {
      return new Malformed("bad DST.ADDR");
    }
    return new Ok(new Header(frag, atyp, addr.host(), in.readUnsignedShort()));
  }

  /**
   * Length of the header at {@code in}'s reader index without reading it, or -1 when the buffer
   * does not start with a complete header of a known ATYP.
   */
  public static int headerLength(ByteBuf in) {
    if (in.readableBytes() < FIXED_PREFIX + 1) {
      return -1;
    }
    int r = in.readerIndex();
    int length =
        switch (in.getUnsignedByte(r + 3)) {
          case Socks5Codes.ATYP_IPV4 -> FIXED_PREFIX + 4 + 2;
          case Socks5Codes.ATYP_IPV6 -> FIXED_PREFIX + 16 + 2;
          case Socks5Codes.ATYP_DOMAIN -> FIXED_PREFIX + 1 + in.getUnsignedByte(r + 4) + 2;
          default -> -1;
        };
    return length <= in.readableBytes() ? length : -1;
  }

  /** Writes a standalone (FRAG X'00') header for a resolved address. */
  public static void encode(ByteBuf out, InetAddress address, int port) {
    out.writeShort(0).writeByte(0);
    Socks5Addresses.write(out, address, port);
  }

  /**
   * Writes {@code header}.
   *
   * @throws IllegalArgumentException when {@code host} does not fit its ATYP (not an IPv4 or IPv6
   *     literal, or a name longer than 255 octets)
   */
  public static void encode(ByteBuf out, Header header) {
    byte[] addr =
        switch (header.atyp()) {
          case Socks5Codes.ATYP_DOMAIN -> header.host().getBytes(StandardCharsets.US_ASCII);
          default -> NetUtil.createByteArrayFromIpAddressString(header.host());
        };
    int expected = header.atyp() == Socks5Codes.ATYP_IPV4 ? 4 : 16;
    if (header.atyp() == Socks5Codes.ATYP_DOMAIN
        ? addr.length > 255
        : addr == null || addr.length != expected) {
      throw new IllegalArgumentException(
          "DST.ADDR " + header.host() + " does not fit ATYP " + header.atyp());
    }
    out.writeShort(0).writeByte(header.frag()).writeByte(header.atyp());
    if (header.atyp() == Socks5Codes.ATYP_DOMAIN) {
      out.writeByte(addr.length);
    }
    out.writeBytes(addr).writeShort(header.port());
  }
}
