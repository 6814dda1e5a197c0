package io.sluice.engine;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.sluice.engine.spi.ConnectionInfo;
import java.util.List;

/**
 * Mixed listeners: looks at the first byte without consuming it (X'05' SOCKS5, X'04' SOCKS4/4a,
 * anything else HTTP), installs that front end and removes itself; the bytes it holds flow into the
 * new front end's first decoder.
 */
final class ProtocolSniffer extends ByteToMessageDecoder {

  static final String NAME = "sniffer";

  private final ListenerInitializer initializer;
  private final ConnectionInfo info;

  ProtocolSniffer(ListenerInitializer initializer, ConnectionInfo info) {
    this.initializer = initializer;
    this.info = info;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (!in.isReadable()) {
      return;
    }
    byte first = in.getByte(in.readerIndex());
    var p = ctx.pipeline();
    if (first == 0x05) {
      initializer.installSocks5(p, info);
    } else if (first == 0x04) {
      initializer.installSocks4(p, info);
    } else {
      initializer.installHttp(p, info);
    }
    p.remove(this);
  }
}
