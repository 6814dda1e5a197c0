package io.sluice.engine.relay;

import io.github.bucket4j.Bucket;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.sluice.engine.net.HalfClose;
import io.sluice.engine.net.ReadCounter;
import io.sluice.engine.net.SpliceQueue;
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
 *
 * <p>Splicing ({@link #trySplice}): without a bucket, between two epoll sockets whose pipelines
 * hold only the relay, after the direction has copied its first bytes ({@link #spliceAfter}: up to
 * then a short exchange costs no pipe), Netty splices the bytes from this socket through a pipe to
 * the peer's and this handler sees none of them. They are counted from the splice results ({@link
 * ReadCounter}). Netty reports EOF (EPOLLRDHUP) before it has spliced what is still queued in the
 * socket, so after the EOF this handler lets reading run in rounds, each after the peer has written
 * everything spliced before it, and half-closes the peer after the first round that reads nothing
 * with nothing left to write.
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

  private ChannelHandlerContext ctx;

  /** The counter of this direction's reads while it splices; null while it copies. */
  private ReadCounter spliced;

  /** Spliced and EOF seen: reading runs in rounds until a round reads nothing. */
  private boolean draining;

  /** A drain round was started (the peer had written everything before it). */
  private boolean roundStarted;

  /**
   * Bytes this direction still copies before it splices; 0: splice at the next read complete with
   * the peer's outbound buffer empty; -1: no splicing planned (off, shaped, started or refused).
   */
  private long untilSplice = -1;

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
    if (spliced != null) {
      // read while splicing (after a failed splice): the counter counted it
    } else if (clientSide) {
      relay.session().addUp(n);
    } else {
      relay.session().addDown(n);
    }
    if (untilSplice > 0) {
      untilSplice = Math.max(0, untilSplice - n);
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
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    releaseHeld();
  }

  /**
   * Splices this direction once it has copied {@code bytes} (more than 0), when it can then; an
   * unshaped direction only. Before the relay's first read.
   */
  void spliceAfter(long bytes) {
    if (bucket == null) {
      untilSplice = bytes;
    }
  }

  /** Starts splicing this direction when it can; otherwise it keeps copying. Event loop only. */
  void trySplice() {
    untilSplice = -1;
    if (bucket != null || ctx == null || ctx.isRemoved()) {
      return;
    }
    Channel own = ctx.channel();
    ReadCounter counter = ReadCounter.of(own);
    if (counter == null
        || !(own instanceof EpollSocketChannel src)
        || !(peer instanceof EpollSocketChannel dst)
        || !src.isActive()
        || !dst.isActive()
        || src.isInputShutdown()
        || !relayOnly(src)
        || !relayOnly(dst)) {
      return;
    }
    counter.countInto(clientSide ? relay.session()::addUp : relay.session()::addDown);
    src.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true); // the drain needs the EOF event
    spliced = counter;
    relay.spliced(clientSide, counter);
    SpliceQueue.install(src); // about 40 bytes instead of Netty's 4.7 KB queue per channel
    src.spliceTo(dst, Integer.MAX_VALUE)
        .addListener(f -> {
          if (!f.isSuccess()) {
            if (LOG.isLoggable(Level.DEBUG)) {
              LOG.log(
                  Level.DEBUG,
                  "[{0}] session {1} {2} side splice ended: {3}",
                  relay.connectionId(),
                  relay.session().id(),
                  clientSide ? "client" : "upstream",
                  String.valueOf(f.cause()));
            }
            src.close();
            peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
          }
        });
  }

  /** A pipeline with nothing but the relay and its idle timer (no TLS, no codec, no counter). */
  private static boolean relayOnly(Channel ch) {
    for (String name : ch.pipeline().toMap().keySet()) {
      if (!name.equals(Relay.NAME) && !name.equals(Relay.IDLE)) {
        return false;
      }
    }
    return true;
  }

  /**
   * One step of the spliced EOF: stop reading, wait until the peer wrote everything spliced so far,
   * then read one more round ({@link #channelReadComplete} looks at it).
   */
  private void drain(ChannelHandlerContext ctx) {
    Channel own = ctx.channel();
    own.config().setAutoRead(false);
    peer.writeAndFlush(Unpooled.EMPTY_BUFFER)
        .addListener(f -> {
          if (!f.isSuccess()) {
            own.close();
          } else if (own.isActive()) {
            roundStarted = true;
            own.config().setAutoRead(true);
          }
        });
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (untilSplice == 0) {
      // bytes copied so far must reach the peer's socket before spliced ones (splice writes to
      // the socket itself, past the outbound buffer); otherwise the next read complete tries again
      ChannelOutboundBuffer pending = peer.unsafe().outboundBuffer();
      if (pending == null || pending.totalPendingWriteBytes() == 0) {
        trySplice();
      }
    }
    if (draining && roundStarted) {
      roundStarted = false;
      ChannelOutboundBuffer pending = peer.unsafe().outboundBuffer();
      if (spliced.roundBytes() == 0 && (pending == null || pending.isEmpty())) {
        draining = false;
        ctx.channel().config().setAutoRead(false);
        onInputShutdown(ctx);
      } else {
        drain(ctx);
      }
    }
    ctx.fireChannelReadComplete();
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
            HalfClose.shutdownOutput(d);
            relay.opposite(clientSide).lastDirection();
          } else {
            own.close();
          }
        });
  }

  /**
   * The other direction is done and this channel's output shut: this channel's EOF ends the relay.
   * A direction that copies without shaping then lets Netty close the channel at that EOF instead
   * of shutting its input down: {@code shutdown(SHUT_RD)} on a socket whose both directions have
   * ended fails with {@code ENOTCONN}, for which Netty's epoll transport builds an exception with a
   * stack trace (once per connection whose target ended first, 5 % of the product's allocation
   * under connection load). Closing runs {@link #channelInactive}, which closes the peer after what
   * was forwarded to it, as the input-shutdown path did. A spliced direction needs the EOF event to
   * drain its socket and a shaped one to forward what it holds: they keep it ({@link #trySplice}
   * turns it back on when splicing starts later).
   */
  void lastDirection() {
    if (bucket == null && spliced == null && ctx != null && !ctx.isRemoved()) {
      ctx.channel().config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, false);
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
      if (spliced != null) {
        draining = true; // what the socket still holds is not spliced yet
        drain(ctx);
      } else if (held != null) {
        eofPending = true; // forward what is held first
      } else {
        onInputShutdown(ctx);
      }
    } else if (evt instanceof IdleStateEvent && relay.splicedRecently()) {
      // spliced bytes pass no handler: the idle timer saw nothing, the read counters did
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
