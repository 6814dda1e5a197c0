package io.sluice.engine.mux;

import io.github.bucket4j.Bucket;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import io.sluice.engine.session.ReadGate;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.TimeUnit;

/**
 * The agent's side of a direct stream: the data connection, on its own event loop. Bytes from the
 * agent go to the public client as fast as the mapping's down bucket allows; the client's
 * non-writability pauses reading here; EOF half-closes the client after the bytes before it; the
 * data connection closing closes the client (which ends the stream in {@link TunnelPortHandler}).
 * The client-to-agent direction is {@link DirectStream}'s.
 */
final class DirectPeerHandler extends ChannelInboundHandlerAdapter {

  private static final Logger LOG = System.getLogger(DirectPeerHandler.class.getName());
  static final String NAME = "tunnel-direct-peer";

  private final DirectStream stream;
  private final Channel client;
  private final Bucket down;
  private final StreamObserver observer;
  private ChannelHandlerContext ctx;
  private ReadGate gate;
  private ByteBuf held;
  private boolean eof;
  private boolean eofSent;
  private boolean pumpScheduled;

  DirectPeerHandler(
      DirectStream stream, Channel client, Bucket down, StreamObserver observer, ByteBuf first) {
    this.stream = stream;
    this.client = client;
    this.down = down;
    this.observer = observer;
    this.held = first;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    this.gate = new ReadGate(ctx.channel(), ReadGate.SETUP);
    if (!held.isReadable()) {
      releaseHeld();
    }
    if (!ctx.channel().isActive()) {
      client
          .writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER)
          .addListener(ChannelFutureListener.CLOSE);
      releaseHeld();
      return;
    }
    if (ctx.channel() instanceof DuplexChannel d && d.isInputShutdown()) {
      eof = true; // seen before this handler was in place
    }
    gate.resume(ReadGate.SETUP);
    pump();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf buf) || eof) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (!buf.isReadable()) {
      buf.release();
      return;
    }
    if (held == null) {
      held = buf;
    } else {
      held = ctx.alloc().compositeBuffer().addComponents(true, held, buf);
    }
    pump();
  }

  private void pump() {
    pumpScheduled = false;
    if (held != null && !client.isActive()) {
      releaseHeld();
      ctx.close();
      return;
    }
    held = Shaping.forwardShaped(held, down, client, n -> observer.bytes(0, n));
    if (held != null) { // the rest waits for tokens
      gate.pause(ReadGate.SHAPER);
      if (!pumpScheduled) {
        pumpScheduled = true;
        ctx.executor()
            .schedule(
                this::pump, Shaping.refillNanos(down, held.readableBytes()), TimeUnit.NANOSECONDS);
      }
      return;
    }
    gate.resume(ReadGate.SHAPER);
    if (!client.isWritable()) {
      gate.pause(ReadGate.BACKPRESSURE); // the client's writability change resumes
    }
    if (eof && !eofSent) {
      eofSent = true;
      stream.eof(ctx.channel(), client);
    }
  }

  /** The client can take writes again (any thread). */
  void peerWritable() {
    ChannelHandlerContext c = ctx;
    if (c == null) {
      return;
    }
    c.executor()
        .execute(() -> {
          if (client.isWritable()) {
            gate.resume(ReadGate.BACKPRESSURE);
          }
        });
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (ctx.channel().isWritable()) {
      stream.dataWritable();
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt == ChannelInputShutdownEvent.INSTANCE && !eof) {
      eof = true;
      pump(); // half-closes the client once the held bytes are out
    }
    ReferenceCountUtil.release(evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    releaseHeld();
    // Whatever is queued towards the client still goes out; then the stream ends.
    client
        .writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER)
        .addListener(ChannelFutureListener.CLOSE);
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof IOException) {
      LOG.log(
          Level.DEBUG,
          "direct data connection {0}: {1}",
          ctx.channel().remoteAddress(),
          cause.toString());
    } else {
      LOG.log(
          Level.WARNING,
          "direct data connection " + ctx.channel().remoteAddress() + " failure",
          cause);
    }
    ctx.close();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    releaseHeld();
  }

  private void releaseHeld() {
    if (held != null) {
      held.release();
      held = null;
    }
  }
}
