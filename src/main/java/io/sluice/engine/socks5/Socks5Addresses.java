package io.sluice.engine.socks5;

import io.netty.buffer.ByteBuf;
import io.netty.util.NetUtil;
import io.sluice.engine.net.HostNames;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;

/**
 * Reads and writes ATYP + ADDR fields (RFC 1928 sections 4, 5 and 7): X'01' four octets, X'03' one
 * length octet then the name, X'04' sixteen octets.
 */
public final class Socks5Addresses {

  private Socks5Addresses() {}

  /** A decoded address: {@code host} is {@code null} when the field was complete but invalid. */
  public record Read(String host) {}

  /**
   * Reads an address of the given ATYP if it is complete (consuming it), returns {@code null} if
   * more bytes are needed (consuming nothing). ATYP must be one of the three known types.
   */
  public static Read read(int atyp, ByteBuf in) {
    switch (atyp) {
      case Socks5Codes.ATYP_IPV4 -> {
        if (in.readableBytes() < 4) {
          return null;
        }
        byte[] a = new byte[4];
        in.readBytes(a);
        return new Read(NetUtil.bytesToIpAddress(a));
      }
      case Socks5Codes.ATYP_IPV6 -> {
        if (in.readableBytes() < 16) {
          return null;
        }
        byte[] a = new byte[16];
        in.readBytes(a);
        return new Read(NetUtil.bytesToIpAddress(a));
      }
      case Socks5Codes.ATYP_DOMAIN -> {
        if (!in.isReadable()) {
          return null;
        }
        int len = in.getUnsignedByte(in.readerIndex());
        if (in.readableBytes() < 1 + len) {
          return null;
        }
        in.skipBytes(1);
        String name = in.readCharSequence(len, StandardCharsets.US_ASCII).toString();
        return new Read(HostNames.isValid(name) ? name : null);
      }
      default -> throw new IllegalArgumentException("ATYP " + atyp);
    }
  }

  /** Writes ATYP, ADDR and PORT of a resolved address. */
  public static void write(ByteBuf out, InetAddress address, int port) {
    out.writeByte(address instanceof Inet4Address ? Socks5Codes.ATYP_IPV4 : Socks5Codes.ATYP_IPV6);
    out.writeBytes(address.getAddress());
    out.writeShort(port);
  }
}
