package io.sluice.engine.socks5;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.sluice.engine.exit.FailureKind;
import io.sluice.engine.wire.Socks5Reply;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/** Encodes SOCKS5 replies (RFC 1928 section 6, RFC 1929 section 2). */
public final class Socks5Replies {

  private Socks5Replies() {}

  /** Method selection reply, RFC 1928 section 3: VER, METHOD. */
  public static byte[] method(int method) {
    return new byte[] {Socks5Codes.VERSION, (byte) method};
  }

  /** Sub-negotiation status, RFC 1929 section 2: VER X'01', STATUS (X'00' success). */
  public static byte[] authStatus(boolean success) {
    return new byte[] {Socks5Codes.AUTH_VERSION, (byte) (success ? 0x00 : 0x01)};
  }

  /** A failure reply: VER, REP, RSV, ATYP X'01', BND.ADDR 0.0.0.0, BND.PORT 0. */
  public static byte[] failure(Socks5Reply rep) {
    return new byte[] {
      Socks5Codes.VERSION, rep.byteValue(), 0, Socks5Codes.ATYP_IPV4, 0, 0, 0, 0, 0, 0
    };
  }

  /** A reply with BND.ADDR/BND.PORT taken from {@code bound} (IPv4 or IPv6 ATYP). */
  public static ByteBuf reply(ByteBufAllocator alloc, Socks5Reply rep, InetSocketAddress bound) {
    InetAddress a = bound.getAddress();
    byte[] addr = a == null ? new byte[4] : a.getAddress();
    ByteBuf buf = alloc.buffer(6 + addr.length);
    buf.writeByte(Socks5Codes.VERSION).writeByte(rep.byteValue()).writeByte(0);
    buf.writeByte(
        a == null || a instanceof Inet4Address ? Socks5Codes.ATYP_IPV4 : Socks5Codes.ATYP_IPV6);
    buf.writeBytes(addr);
    buf.writeShort(bound.getPort());
    return buf;
  }

  /** The reply to a failure to establish, as documented on {@link FailureKind}. */
  public static Socks5Reply replyFor(FailureKind kind) {
    return switch (kind) {
      case LIMIT, DENIED -> Socks5Reply.NOT_ALLOWED;
      case UNRESOLVABLE, HOST_UNREACHABLE, TIMEOUT -> Socks5Reply.HOST_UNREACHABLE;
      case REFUSED -> Socks5Reply.CONNECTION_REFUSED;
      case NETWORK_UNREACHABLE -> Socks5Reply.NETWORK_UNREACHABLE;
      case EXIT_UNREACHABLE, EXIT_AUTH, NO_EXIT, GENERAL -> Socks5Reply.FAILURE;
    };
  }

  /** {@link #replyFor} as the REP octet's unsigned value. */
  public static int repFor(FailureKind kind) {
    return replyFor(kind).code();
  }
}
