package io.sluice.engine.socks5;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Decodes the method selection message, RFC 1928 section 3: VER (X'05'), NMETHODS (1-255), METHODS.
 * A wrong VER or NMETHODS of 0 yields {@link Socks5Message.Malformed} with the reply VER X'05',
 * METHOD X'FF'. Waits (without consuming) while a field is truncated; emits once and then leaves
 * further bytes for the next phase's decoder.
 */
public final class Socks5GreetingDecoder extends ByteToMessageDecoder {

  enum State {
    VERSION,
    NMETHODS,
    METHODS,
    DONE
  }

  private State state = State.VERSION;
  private int nmethods;

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    switch (state) {
      case VERSION -> {
        if (!in.isReadable()) {
          return;
        }
        int ver = in.readUnsignedByte();
        if (ver != Socks5Codes.VERSION) {
          fail(in, out, "greeting VER " + ver);
          return;
        }
        state = State.NMETHODS;
        decode(ctx, in, out);
      }
      case NMETHODS -> {
        if (!in.isReadable()) {
          return;
        }
        nmethods = in.readUnsignedByte();
        if (nmethods == 0) {
          fail(in, out, "NMETHODS 0");
          return;
        }
        state = State.METHODS;
        decode(ctx, in, out);
      }
      case METHODS -> {
        if (in.readableBytes() < nmethods) {
          return;
        }
        byte[] methods = new byte[nmethods];
        in.readBytes(methods);
        state = State.DONE;
        out.add(new Socks5Message.Greeting(methods));
      }
      case DONE -> {}
    }
  }

  private void fail(ByteBuf in, List<Object> out, String reason) {
    state = State.DONE;
    in.skipBytes(in.readableBytes());
    out.add(
        new Socks5Message.Malformed(
            Socks5Replies.method(Socks5Codes.METHOD_NONE_ACCEPTABLE), reason));
  }
}
