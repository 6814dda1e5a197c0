package io.sluice.engine.socks5;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.sluice.engine.wire.Socks5Reply;
import java.util.List;

/**
 * Decodes the request, RFC 1928 section 4: VER, CMD, RSV, ATYP, DST.ADDR, DST.PORT. Results that
 * end the connection carry their reply (section 6): VER other than X'05' -> REP X'01'; CMD other
 * than CONNECT/BIND/UDP ASSOCIATE -> X'07'; ATYP other than X'01'/X'03'/X'04' -> X'08'; a domain
 * DST.ADDR that is empty or not a valid host name -> X'04'.
 */
public final class Socks5RequestDecoder extends ByteToMessageDecoder {

  enum State {
    VERSION,
    COMMAND,
    RESERVED,
    ADDRESS_TYPE,
    ADDRESS,
    PORT,
    DONE
  }

  private State state = State.VERSION;
  private int command;
  private int addressType;
  private String host;

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    while (state != State.DONE) {
      switch (state) {
        case VERSION -> {
          if (!in.isReadable()) {
            return;
          }
          int ver = in.readUnsignedByte();
          if (ver != Socks5Codes.VERSION) {
            fail(in, out, Socks5Reply.FAILURE, "request VER " + ver);
            return;
          }
          state = State.COMMAND;
        }
        case COMMAND -> {
          if (!in.isReadable()) {
            return;
          }
          command = in.readUnsignedByte();
          if (command != Socks5Codes.CMD_CONNECT
              && command != Socks5Codes.CMD_BIND
              && command != Socks5Codes.CMD_UDP_ASSOCIATE) {
            fail(in, out, Socks5Reply.COMMAND_UNSUPPORTED, "CMD " + command);
            return;
          }
          state = State.RESERVED;
        }
        case RESERVED -> {
          if (!in.isReadable()) {
            return;
          }
          in.skipBytes(1);
          state = State.ADDRESS_TYPE;
        }
        case ADDRESS_TYPE -> {
          if (!in.isReadable()) {
            return;
          }
          addressType = in.readUnsignedByte();
          if (addressType != Socks5Codes.ATYP_IPV4
              && addressType != Socks5Codes.ATYP_IPV6
              && addressType != Socks5Codes.ATYP_DOMAIN) {
            fail(in, out, Socks5Reply.ADDRESS_UNSUPPORTED, "ATYP " + addressType);
            return;
          }
          state = State.ADDRESS;
        }
        case ADDRESS -> {
          Socks5Addresses.Read read = Socks5Addresses.read(addressType, in);
          if (read == null) {
            return;
          }
          if (read.host() == null) {
            fail(in, out, Socks5Reply.HOST_UNREACHABLE, "invalid DST.ADDR");
            return;
          }
          host = read.host();
          state = State.PORT;
        }
        case PORT -> {
          if (in.readableBytes() < 2) {
            return;
          }
          int port = in.readUnsignedShort();
          state = State.DONE;
          out.add(new Socks5Message.Request(command, addressType, host, port));
          return;
        }
        case DONE -> {
          return;
        }
      }
    }
  }

  private void fail(ByteBuf in, List<Object> out, Socks5Reply rep, String reason) {
    state = State.DONE;
    in.skipBytes(in.readableBytes());
    out.add(new Socks5Message.Malformed(Socks5Replies.failure(rep), reason));
  }
}
