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
 * One direction of a {@link Relay}: reads from its channel, writes to the peer. Zero-byte reads
 * are dropped; the peer's non-writability pauses reading here; the user's bucket (if any)
 * shapes by pausing reading until the debt is paid; EOF half-closes the peer.
 */
final class RelayHandler extends ChannelInboundHandlerAdapter {

  private static final Logger LOG = System.getLogger(RelayHandler.class.getName());

  private final Relay relay;
  private final boolean clientSide;
  private final Channel peer;
  private final ReadGate ownGate;
  private final ReadGate peerGate;
  private final Bucket bucket;

  RelayHandler(Relay relay, boolean clientSide, Channel peer, ReadGate ownGate, ReadGate peerGate, Bucket bucket) {
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
    int n = buf.readableBytes();
    if (n == 0) {
      buf.release();
      return;
    }
    if (!peer.isActive()) {
      buf.release();
      ctx.close();
      return;
    }
    if (clientSide) {
      relay.session().addUp(n);
    } else {
      relay.session().addDown(n);
    }
    peer.writeAndFlush(buf).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    if (!peer.isWritable()) {
      ownGate.pause(ReadGate.BACKPRESSURE);
    }
    if (bucket != null) {
      long waitNanos = bucket.consumeIgnoringRateLimits(n);
      if (waitNanos > 0) {
        ownGate.pause(ReadGate.SHAPER);
        ctx.executor().schedule(() -> ownGate.resume(ReadGate.SHAPER), waitNanos, TimeUnit.NANOSECONDS);
      }
    }
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
      boolean bothDone = relay.inputDone(clientSide);
      Channel own = ctx.channel();
      peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> {
        if (bothDone) {
          own.close();
          peer.close();
        } else if (peer instanceof DuplexChannel d && d.isActive()) {
          d.shutdownOutput();
        } else {
          own.close();
        }
      });
    } else if (evt instanceof IdleStateEvent) {
      if (LOG.isLoggable(Level.DEBUG)) {
        LOG.log(Level.DEBUG, "[{0}] session {1} idle; closing", relay.connectionId(), relay.session().id());
      }
      ctx.close();
      peer.close();
    }
    ReferenceCountUtil.release(evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (peer.isActive()) {
      peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof IOException) {
      if (LOG.isLoggable(Level.DEBUG)) {
        LOG.log(Level.DEBUG, "[{0}] session {1} {2} side I/O error: {3}", relay.connectionId(),
            relay.session().id(), clientSide ? "client" : "upstream", cause.toString());
      }
    } else {
      LOG.log(Level.WARNING, "[" + relay.connectionId() + "] session " + relay.session().id() + " relay failure", cause);
    }
    ctx.close();
    peer.close();
  }
}
