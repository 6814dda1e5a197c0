package io.sluice.engine.socks5;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Decodes the username/password request, RFC 1929 section 2: VER (X'01'), ULEN (1-255), UNAME, PLEN
 * (0-255), PASSWD. A wrong VER or ULEN of 0 yields {@link Socks5Message.Malformed} with the failure
 * status X'01' X'01'. Names and passwords are decoded as UTF-8.
 */
public final class Socks5PasswordDecoder extends ByteToMessageDecoder {

  enum State {
    VERSION,
    ULEN,
    UNAME,
    PLEN,
    PASSWD,
    DONE
  }

  private State state = State.VERSION;
  private int length;
  private String username;

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    while (state != State.DONE) {
      switch (state) {
        case VERSION -> {
          if (!in.isReadable()) {
            return;
          }
          int ver = in.readUnsignedByte();
          if (ver != Socks5Codes.AUTH_VERSION) {
            fail(in, out, "auth VER " + ver);
            return;
          }
          state = State.ULEN;
        }
        case ULEN -> {
          if (!in.isReadable()) {
            return;
          }
          length = in.readUnsignedByte();
          if (length == 0) {
            fail(in, out, "ULEN 0");
            return;
          }
          state = State.UNAME;
        }
        case UNAME -> {
          if (in.readableBytes() < length) {
            return;
          }
          username = in.readCharSequence(length, StandardCharsets.UTF_8).toString();
          state = State.PLEN;
        }
        case PLEN -> {
          if (!in.isReadable()) {
            return;
          }
          length = in.readUnsignedByte();
          state = State.PASSWD;
        }
        case PASSWD -> {
          if (in.readableBytes() < length) {
            return;
          }
          String password = in.readCharSequence(length, StandardCharsets.UTF_8).toString();
          state = State.DONE;
          out.add(new Socks5Message.Credentials(username, password));
          return;
        }
        case DONE -> {
          return;
        }
      }
    }
  }

  private void fail(ByteBuf in, List<Object> out, String reason) {
    state = State.DONE;
    in.skipBytes(in.readableBytes());
    out.add(new Socks5Message.Malformed(Socks5Replies.authStatus(false), reason));
  }
}
