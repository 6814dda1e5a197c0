package io.sluice.engine.exit;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;

/**
 * Bytes an upstream proxy sent right after its handshake reply (a server-first protocol's greeting
 * can share a segment with it). Handed on at the first {@code read()} request, when the caller's
 * handlers are in place; then this handler leaves the pipeline.
 */
final class PendingBytes extends ChannelDuplexHandler {

  static final String NAME = "exit-pending";

  private ByteBuf pending;

  PendingBytes(ByteBuf pending) {
    this.pending = pending;
  }

  @Override
  public void read(ChannelHandlerContext ctx) {
    ByteBuf b = pending;
    if (b == null) {
      ctx.read();
      return;
    }
    pending = null;
    ctx.fireChannelRead(b);
    ctx.fireChannelReadComplete();
    if (ctx.channel().config().isAutoRead()) {
      ctx.read();
    }
    if (ctx.pipeline().context(this) != null) {
      ctx.pipeline().remove(this);
    }
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    if (pending != null) {
      pending.release();
      pending = null;
    }
  }
}
