package io.sluice.engine.relay;

import io.github.bucket4j.Bucket;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.sluice.engine.session.ReadGate;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.TimeUnit;

/**
 * One direction of a {@link Relay}: reads from its channel, writes to the peer. Zero-byte reads are
 * dropped; the peer's non-writability pauses reading here; the user's bucket (if any) shapes: bytes
 * beyond the available tokens are held (at most one read) with reading paused, and forwarded piece
 * by piece as tokens refill; EOF half-closes the peer (after held bytes).
 */
final class RelayHandler extends ChannelInboundHandlerAdapter {

  private static final Logger LOG = System.getLogger(RelayHandler.class.getName());

  private final Relay relay;
  private final boolean clientSide;
  private final Channel peer;
  private final ReadGate ownGate;
  private final ReadGate peerGate;
  private final Bucket bucket;

  /** Bytes read but not yet allowed by the bucket (only when shaped). */
  private ByteBuf held;

  private boolean eofPending;

  /** Tokens waited for at a time while shaping (a small piece keeps the rate smooth). */
  private static final long SHAPING_PIECE = 4096;

  RelayHandler(
      Relay relay,
      boolean clientSide,
      Channel peer,
      ReadGate ownGate,
      ReadGate peerGate,
      Bucket bucket) {
    this.relay = relay;
    this.clientSide = clientSide;
    this.peer = peer;
    this.ownGate = ownGate;
    this.peerGate = peerGate;
    this.bucket = bucket;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf buf)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (!buf.isReadable()) {
      buf.release();
      return;
    }
    if (!peer.isActive()) {
      buf.release();
      ctx.close();
      return;
    }
    if (bucket == null) {
      forward(buf);
      return;
    }
    if (held != null) {
      held =
          ctx.alloc().compositeBuffer().addComponents(true, held, buf); // at most one read behind
    } else {
      held = buf;
    }
    forwardShaped(ctx);
  }

  private void forward(ByteBuf buf) {
    int n = buf.readableBytes();
    if (clientSide) {
      relay.session().addUp(n);
    } else {
      relay.session().addDown(n);
    }
    peer.writeAndFlush(buf).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    if (!peer.isWritable()) {
      ownGate.pause(ReadGate.BACKPRESSURE);
    }
  }

  /**
   * Forwards as much of the held bytes as the user's bucket allows; the rest waits (reading paused)
   * until enough tokens for the next piece have been refilled.
   */
  private void forwardShaped(ChannelHandlerContext ctx) {
    if (held == null) {
      return;
    }
    if (!peer.isActive()) {
      releaseHeld();
      return;
    }
    int want = held.readableBytes();
    long got = bucket.tryConsumeAsMuchAsPossible(want);
    if (got >= want) {
      ByteBuf all = held;
      held = null;
      forward(all);
      ownGate.resume(ReadGate.SHAPER);
      if (eofPending) {
        eofPending = false;
        onInputShutdown(ctx);
      }
      return;
    }
    if (got > 0) {
      forward(held.readRetainedSlice((int) got));
    }
    long piece = Math.min(held.readableBytes(), SHAPING_PIECE);
    long nanos =
        Math.max(1_000_000L, bucket.estimateAbilityToConsume(piece).getNanosToWaitForRefill());
    ownGate.pause(ReadGate.SHAPER);
    ctx.executor().schedule(() -> forwardShaped(ctx), nanos, TimeUnit.NANOSECONDS);
  }

  private void releaseHeld() {
    if (held != null) {
      held.release();
      held = null;
    }
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    releaseHeld();
  }

  private void onInputShutdown(ChannelHandlerContext ctx) {
    boolean bothDone = relay.inputDone(clientSide);
    Channel own = ctx.channel();
    peer.writeAndFlush(Unpooled.EMPTY_BUFFER)
        .addListener(f -> {
          if (bothDone) {
            own.close();
            peer.close();
          } else if (peer instanceof DuplexChannel d && d.isActive()) {
            d.shutdownOutput();
          } else {
            own.close();
          }
        });
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (ctx.channel().isWritable()) {
      peerGate.resume(ReadGate.BACKPRESSURE);
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt == ChannelInputShutdownEvent.INSTANCE) {
      if (held != null) {
        eofPending = true; // forward what is held first
      } else {
        onInputShutdown(ctx);
      }
    } else if (evt instanceof IdleStateEvent) {
      if (LOG.isLoggable(Level.DEBUG)) {
        LOG.log(
            Level.DEBUG,
            "[{0}] session {1} idle; closing",
            relay.connectionId(),
            relay.session().id());
      }
      ctx.close();
      peer.close();
    }
    ReferenceCountUtil.release(evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    releaseHeld();
    if (peer.isActive()) {
      peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof IOException) {
      if (LOG.isLoggable(Level.DEBUG)) {
        LOG.log(
            Level.DEBUG,
            "[{0}] session {1} {2} side I/O error: {3}",
            relay.connectionId(),
            relay.session().id(),
            clientSide ? "client" : "upstream",
            cause.toString());
      }
    } else {
      LOG.log(
          Level.WARNING,
          "[" + relay.connectionId() + "] session " + relay.session().id() + " relay failure",
          cause);
    }
    ctx.close();
    peer.close();
  }
}
