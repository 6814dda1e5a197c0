package io.sluice.engine.mux;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.sluice.engine.spi.ConnectionInfo;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * A connection accepted on the direct-stream data port: reads the preamble ({@code "SLD1"} and a
 * 16-byte key) within a deadline, hands the connection to the stream that owns the key, and leaves
 * the pipeline. A bad magic, an unknown or used key, or a slow preamble closes the connection with
 * a reset; nothing is ever written to an unpaired connection.
 */
final class DirectDataHandler extends ChannelInboundHandlerAdapter {

  private static final Logger LOG = System.getLogger(DirectDataHandler.class.getName());
  static final String NAME = "tunnel-direct";

  private final ConnectionInfo info;
  private final DirectStreams streams;
  private final Duration deadline;
  private ByteBuf preamble;
  private ScheduledFuture<?> timer;
  private boolean done;

  DirectDataHandler(ConnectionInfo info, DirectStreams streams, Duration deadline) {
    this.info = info;
    this.streams = streams;
    this.deadline = deadline;
  }

  static void install(Channel ch, ConnectionInfo info, DirectStreams streams, Duration deadline) {
    ch.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
    ch.pipeline().addLast(NAME, new DirectDataHandler(info, streams, deadline));
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    timer =
        ctx.executor()
            .schedule(
                () -> reject(ctx, "no preamble within " + deadline.toMillis() + " ms"),
                deadline.toMillis(),
                TimeUnit.MILLISECONDS);
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (done || !(msg instanceof ByteBuf buf)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (preamble == null) {
      preamble = ctx.alloc().buffer(DirectStreams.PREAMBLE_BYTES);
    }
    int take =
        Math.min(buf.readableBytes(), DirectStreams.PREAMBLE_BYTES - preamble.readableBytes());
    preamble.writeBytes(buf, take);
    if (preamble.readableBytes() < DirectStreams.PREAMBLE_BYTES) {
      buf.release();
      return;
    }
    byte[] head = new byte[DirectStreams.PREAMBLE_BYTES];
    preamble.getBytes(0, head);
    if (!Arrays.equals(
        head, 0, DirectStreams.MAGIC.length, DirectStreams.MAGIC, 0, DirectStreams.MAGIC.length)) {
      buf.release();
      streams.rejectedOne();
      reject(ctx, "bad magic");
      return;
    }
    TunnelPortHandler stream =
        streams.claim(Arrays.copyOfRange(head, DirectStreams.MAGIC.length, head.length));
    if (stream == null) {
      buf.release();
      reject(ctx, "unknown or used key");
      return;
    }
    done = true;
    cancelTimer();
    releasePreamble();
    ctx.channel().config().setAutoRead(false);
    ctx.pipeline().remove(this);
    // Bytes after the preamble (the target may speak first) belong to the stream.
    stream.attachDirect(ctx.channel(), buf);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    cancelTimer();
    releasePreamble();
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.log(
        Level.DEBUG,
        "[{0}] direct data connection from {1}: {2}",
        info.connectionId(),
        info.client(),
        cause.toString());
    ctx.close();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    releasePreamble();
  }

  private void reject(ChannelHandlerContext ctx, String why) {
    if (done) {
      return;
    }
    done = true;
    cancelTimer();
    releasePreamble();
    if (why.startsWith("no preamble")) {
      streams.rejectedOne();
    }
    LOG.log(
        Level.INFO,
        "[{0}] direct data connection from {1} refused: {2}",
        info.connectionId(),
        info.client(),
        why);
    Channel ch = ctx.channel();
    if (ch.isActive()) {
      try {
        ch.config().setOption(ChannelOption.SO_LINGER, 0);
      } catch (RuntimeException ignored) {
        // a normal close is fine
      }
    }
    ch.close();
  }

  private void cancelTimer() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  private void releasePreamble() {
    if (preamble != null) {
      preamble.release();
      preamble = null;
    }
  }
}
