package io.sluice.engine.exit;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.ReferenceCountUtil;

/**
 * Client side of a proxy handshake on a freshly connected upstream channel ({@code autoRead} off:
 * it reads one chunk at a time). On success it leaves the pipeline (bytes the proxy sent after its
 * reply are kept by {@link PendingBytes} for whoever reads next) and completes the attempt's
 * promise; on failure it fails the promise and closes the channel.
 */
public abstract class UpstreamHandshake extends ChannelInboundHandlerAdapter {

  static final String NAME = "exit-handshake";

  /** Cap of what a proxy may send before its handshake reply is complete. */
  static final int MAX_REPLY_BYTES = 16 * 1024;

  protected final UpstreamConnector.Attempt attempt;
  private ByteBuf cumulation;
  private boolean done;

  protected UpstreamHandshake(UpstreamConnector.Attempt attempt) {
    this.attempt = attempt;
  }

  /** Writes the first message; the channel is connected. */
  protected abstract void start(ChannelHandlerContext ctx);

  /**
   * Consumes what it can of {@code in}; returns true when the handshake succeeded (the reader index
   * after the reply), false when more bytes are needed.
   */
  protected abstract boolean process(ChannelHandlerContext ctx, ByteBuf in)
      throws ExitFailureException;

  /** Marks the CONNECT request as sent (a timeout after it is the destination's). */
  protected final void requestSent() {
    attempt.requestSent = true;
  }

  protected final String exitId() {
    return attempt.exitId;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    if (ctx.channel().isActive()) {
      start(ctx);
      ctx.read();
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (done || !(msg instanceof ByteBuf buf)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    cumulation =
        cumulation == null
            ? buf
            : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ctx.alloc(), cumulation, buf);
    try {
      if (process(ctx, cumulation)) {
        succeed(ctx);
      } else if (cumulation.readableBytes() > MAX_REPLY_BYTES) {
        throw new ExitFailureException(
            FailureKind.EXIT_UNREACHABLE, "exit " + exitId() + ": reply too large");
      }
    } catch (ExitFailureException e) {
      fail(ctx, e);
    } catch (RuntimeException e) {
      fail(
          ctx,
          new ExitFailureException(
              FailureKind.EXIT_UNREACHABLE, "exit " + exitId() + ": malformed reply: " + e, e));
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (!done && ctx.channel().isActive()) {
      ctx.read();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (!done) {
      fail(
          ctx,
          new ExitFailureException(
              attempt.requestSent ? FailureKind.GENERAL : FailureKind.EXIT_UNREACHABLE,
              "exit " + exitId() + ": upstream closed the connection during the handshake"));
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (!done) {
      fail(
          ctx,
          new ExitFailureException(
              FailureKind.EXIT_UNREACHABLE,
              "exit " + exitId() + ": I/O error during the handshake: " + cause,
              cause));
    } else {
      ctx.fireExceptionCaught(cause);
    }
  }

  private void succeed(ChannelHandlerContext ctx) {
    done = true;
    ByteBuf rest = cumulation;
    cumulation = null;
    if (rest.isReadable()) {
      ctx.pipeline().replace(this, PendingBytes.NAME, new PendingBytes(rest));
    } else {
      rest.release();
      ctx.pipeline().remove(this);
    }
    if (!attempt.promise.trySuccess(ctx.channel())) {
      ctx.channel().close();
    }
  }

  private void fail(ChannelHandlerContext ctx, ExitFailureException e) {
    done = true;
    release();
    attempt.fail(e);
    ctx.close();
  }

  private void release() {
    if (cumulation != null) {
      cumulation.release();
      cumulation = null;
    }
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    release();
  }
}
