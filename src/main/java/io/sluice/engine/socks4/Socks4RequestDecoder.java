package io.sluice.engine.socks4;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.NetUtil;
import io.sluice.engine.net.HostNames;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Decodes a SOCKS4 request (VN X'04', CD, DSTPORT, DSTIP, USERID, NUL) and its 4a extension (DSTIP
 * 0.0.0.x with x != 0, then the host name, NUL). USERID and host are capped at 255 octets; beyond
 * that, a wrong VN, or an invalid host, the result is malformed (host null).
 */
final class Socks4RequestDecoder extends ByteToMessageDecoder {

  private static final int MAX_FIELD = 255;

  enum State {
    HEADER,
    USERID,
    HOST,
    DONE
  }

  private State state = State.HEADER;
  private int command;
  private int port;
  private byte[] ip;
  private String userId;

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    while (state != State.DONE) {
      switch (state) {
        case HEADER -> {
          if (in.readableBytes() < 8) {
            return;
          }
          int vn = in.readUnsignedByte();
          command = in.readUnsignedByte();
          port = in.readUnsignedShort();
          ip = new byte[4];
          in.readBytes(ip);
          if (vn != 4) {
            malformed(in, out);
            return;
          }
          state = State.USERID;
        }
        case USERID -> {
          String s = readNulTerminated(in);
          if (s == null) {
            if (in.readableBytes() > MAX_FIELD) {
              malformed(in, out);
            }
            return;
          }
          userId = s;
          boolean socks4a = ip[0] == 0 && ip[1] == 0 && ip[2] == 0 && ip[3] != 0;
          if (socks4a) {
            state = State.HOST;
          } else {
            state = State.DONE;
            out.add(new Socks4Request(command, NetUtil.bytesToIpAddress(ip), port, userId));
            return;
          }
        }
        case HOST -> {
          String host = readNulTerminated(in);
          if (host == null) {
            if (in.readableBytes() > MAX_FIELD) {
              malformed(in, out);
            }
            return;
          }
          state = State.DONE;
          out.add(new Socks4Request(command, HostNames.isValid(host) ? host : null, port, userId));
          return;
        }
        case DONE -> {
          return;
        }
      }
    }
  }

  private static String readNulTerminated(ByteBuf in) {
    int end =
        in.indexOf(
            in.readerIndex(),
            in.readerIndex() + Math.min(in.readableBytes(), MAX_FIELD + 1),
            (byte) 0);
    if (end < 0) {
      return null;
    }
    String s = in.readCharSequence(end - in.readerIndex(), StandardCharsets.US_ASCII).toString();
    in.skipBytes(1);
    return s;
  }

  private void malformed(ByteBuf in, List<Object> out) {
    state = State.DONE;
    in.skipBytes(in.readableBytes());
    out.add(new Socks4Request(command, null, port, ""));
  }
}
