package io.sluice.engine.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;

/** Upstream side of {@link HttpForwarder}: passes decoded response parts and channel events on. */
final class UpstreamResponseHandler extends ChannelInboundHandlerAdapter {

  private static final Logger LOG = System.getLogger(UpstreamResponseHandler.class.getName());
  private final HttpForwarder forwarder;
  private final String connectionId;

  UpstreamResponseHandler(HttpForwarder forwarder, String connectionId) {
    this.forwarder = forwarder;
    this.connectionId = connectionId;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpResponse response) {
      forwarder.onResponseHead(ctx.channel(), response);
    }
    if (msg instanceof HttpContent content) {
      forwarder.onResponseContent(ctx.channel(), content);
    } else {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    forwarder.upstreamWritabilityChanged(ctx.channel());
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    forwarder.upstreamClosed(ctx.channel());
    ctx.fireChannelInactive();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent) {
      ctx.close();
    }
    ReferenceCountUtil.release(evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof IOException) {
      if (LOG.isLoggable(Level.DEBUG)) {
        LOG.log(Level.DEBUG, "[{0}] origin I/O error: {1}", connectionId, cause.toString());
      }
    } else {
      LOG.log(Level.WARNING, "[" + connectionId + "] origin connection failure", cause);
    }
    ctx.close();
  }
}
