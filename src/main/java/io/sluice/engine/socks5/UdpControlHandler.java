package io.sluice.engine.socks5;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;

/**
 * The TCP control connection of a UDP association (RFC 1928 section 7: the association terminates
 * when the TCP connection terminates). Bytes on it are discarded; EOF closes it, and closing it
 * closes the relay socket.
 */
final class UdpControlHandler extends ChannelInboundHandlerAdapter {

  private static final Logger LOG = System.getLogger(UdpControlHandler.class.getName());
  private final String connectionId;

  UdpControlHandler(String connectionId) {
    this.connectionId = connectionId;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ReferenceCountUtil.release(msg);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt == ChannelInputShutdownEvent.INSTANCE) {
      ctx.close();
    }
    ReferenceCountUtil.release(evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof IOException) {
      if (LOG.isLoggable(Level.DEBUG)) {
        LOG.log(
            Level.DEBUG, "[{0}] UDP control connection error: {1}", connectionId, cause.toString());
      }
    } else {
      LOG.log(Level.WARNING, "[" + connectionId + "] UDP control connection failure", cause);
    }
    ctx.close();
  }
}
