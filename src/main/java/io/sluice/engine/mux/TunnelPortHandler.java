package io.sluice.engine.mux;

import io.github.bucket4j.Bucket;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.sluice.engine.session.ReadGate;
import io.sluice.engine.spi.ConnectionInfo;
import io.sluice.engine.tunnel.FlowControl;
import io.sluice.engine.tunnel.Frame;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One connection accepted on a tunnel port, relayed as one stream of an agent's {@link
 * TunnelMux}. Everything runs on the channel's event loop (frames from the agent are handed over
 * by {@link #deliver}).
 *
 * <p>Life: accepted with reading paused; the {@link TunnelRouter} relays or refuses (refused: the
 * connection is closed at once). Relayed: OPEN goes to the agent; OPEN_OK starts reading, OPEN_FAIL
 * or no answer within the open timeout closes the connection. Client bytes become DATA frames of
 * at most {@code min(maxPayload, credit)} bytes; with no credit (or while the mapping's up bucket
 * is empty) reading pauses until a WINDOW arrives (or tokens refill), so a stalled agent-side
 * target costs at most one window here. Agent DATA is written to the client, and its credit is
 * returned (WINDOW) only once written, and only as fast as the mapping's down bucket allows: a
 * slow client stalls its own stream and nothing else. EOF either way is a FIN (half-close); a
 * RESET, an error or the agent's connection going away closes the client connection.
 */
final class TunnelPortHandler extends ChannelInboundHandlerAdapter {

  private static final Logger LOG = System.getLogger(TunnelPortHandler.class.getName());
  static final String NAME = "tunnel-port";
  static final String IDLE = "tunnel-idle";
  private static final io.netty.channel.RecvByteBufAllocator DIRECT_READS =
      new io.netty.channel.AdaptiveRecvByteBufAllocator(512, 16384, 262144);

  private enum State { ROUTING, OPENING, OPEN, DIRECT, FINISHED }

  private final ConnectionInfo info;
  private final Supplier<TunnelRouter> router;
  private final Duration openTimeout;
  private ChannelHandlerContext ctx;
  private ReadGate gate;
  private State state = State.ROUTING;
  private TunnelRoute.Relay route;
  private TunnelMux mux;
  private long id;
  private FlowControl flow;
  /** Client bytes read but not yet sent (no credit or no bandwidth tokens). */
  private ByteBuf held;
  private boolean clientEof;
  private boolean finSent;
  private boolean finReceived;
  /** The agent's FIN has reached the client (everything before it is written, output shut down). */
  private boolean finDelivered;
  /** Agent bytes written to the client whose credit has not been returned yet. */
  private long drained;
  private boolean grantScheduled;
  private boolean pumpScheduled;
  private ScheduledFuture<?> openTimer;
  /** Set when the stream was offered as a direct stream (OPEN_DIRECT). */
  private DirectStreams direct;
  private byte[] directKey;
  /** The agent's data connection of a direct stream (state DIRECT). */
  private Channel data;
  private DirectPeerHandler dataSide;
  /** EOFs seen on a direct stream (client and data connection); 2 = both done. */
  private final java.util.concurrent.atomic.AtomicInteger directEofs = new java.util.concurrent.atomic.AtomicInteger();

  private TunnelPortHandler(ConnectionInfo info, Supplier<TunnelRouter> router, Duration openTimeout) {
    this.info = info;
    this.router = router;
    this.openTimeout = openTimeout;
  }

  /** Sets up the pipeline of a connection accepted on a tunnel listener. */
  static void install(Channel ch, ConnectionInfo info, Supplier<TunnelRouter> router, Duration openTimeout,
      Duration idle) {
    ch.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
    ch.pipeline().addLast(IDLE, new IdleStateHandler(0, 0, idle.toMillis(), TimeUnit.MILLISECONDS));
    ch.pipeline().addLast(NAME, new TunnelPortHandler(info, router, openTimeout));
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    this.gate = new ReadGate(ctx.channel(), ReadGate.SETUP);
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    TunnelRoute decision;
    try {
      decision = router.get().route(info);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "[" + info.connectionId() + "] tunnel routing failed", e);
      decision = new TunnelRoute.Refuse("error");
    }
    if (decision instanceof TunnelRoute.Refuse refuse) {
      LOG.log(Level.DEBUG, "[{0}] tunnel connection from {1} on {2} refused: {3}", info.connectionId(),
          info.client(), info.listener(), refuse.reason());
      state = State.FINISHED;
      abort();
      return;
    }
    route = (TunnelRoute.Relay) decision;
    mux = route.mux();
    flow = new FlowControl(mux.initialWindow());
    switch (mux.open(this, route.host(), route.port())) {
      case OpenResult.Refused refused -> {
        String reason = refused.reason().label();
        route.observer().openFailed(reason);
        end(reason);
        abort();
        return;
      }
      case OpenResult.Opened opened -> id = opened.streamId();
    }
    state = State.OPENING;
    openTimer = ctx.executor().schedule(() -> {
      if (state == State.OPENING) {
        route.observer().openFailed("timeout");
        reset("open_timeout");
      }
    }, openTimeout.toMillis(), TimeUnit.MILLISECONDS);
    LOG.log(Level.DEBUG, "[{0}] tunnel stream {1} of agent {2} opening to {3}:{4}", info.connectionId(), id,
        mux.agentId(), route.host(), route.port());
  }

  /** A frame from the agent for this stream (any thread). */
  void deliver(Frame frame) {
    if (frame instanceof Frame.Data d) {
      // Wrap now, on the container's thread: the frame's bytes are already our own copy.
      ByteBuf bytes = Unpooled.wrappedBuffer(d.buffer());
      ctx.executor().execute(() -> onData(bytes));
    } else {
      ctx.executor().execute(() -> onFrame(frame));
    }
  }

  /** The agent's connection is gone (any thread). */
  void connectionLost() {
    ctx.executor().execute(() -> {
      if (state != State.FINISHED) {
        if (state == State.OPENING) {
          route.observer().openFailed("agent_offline");
        }
        end("agent_disconnected");
        abort();
      }
    });
  }

  /** Called by {@link TunnelMux#open} (under its lock, on this event loop) for OPEN_DIRECT. */
  void offeredDirect(DirectStreams streams, byte[] key) {
    this.direct = streams;
    this.directKey = key;
  }

  /**
   * The agent's data connection for this stream arrived (on its own event loop, reading paused);
   * {@code first} holds what followed the preamble. Relays directly from now on.
   */
  void attachDirect(Channel ch, ByteBuf first) {
    io.netty.channel.EventLoop own = ctx.channel().eventLoop();
    if (ch.eventLoop() == own) {
      own.execute(() -> onDirect(ch, first));
      return;
    }
    // Both channels on one event loop: every write is a same-thread write (no task hand-off and
    // selector wake-up per read, which halved single-stream throughput).
    ch.deregister().addListener(d -> {
      if (!d.isSuccess()) {
        first.release();
        ch.close();
        return;
      }
      try {
        own.register(ch).addListener(r -> {
          if (r.isSuccess()) {
            onDirect(ch, first);
          } else {
            first.release();
            ch.close();
          }
        });
      } catch (java.util.concurrent.RejectedExecutionException stopping) {
        first.release();
        ch.close();
      }
    });
  }

  private void onDirect(Channel ch, ByteBuf first) {
    if (state != State.OPENING) {
      first.release();
      LOG.log(Level.DEBUG, "[{0}] tunnel stream {1}: late data connection closed", info.connectionId(), id);
      closeHard(ch);
      return;
    }
    state = State.DIRECT;
    data = ch;
    cancelOpenTimer();
    // Bulk streams: reads of up to 256 KiB (adaptive, shrinking when traffic is light) halve the
    // system calls per byte; a stalled direction still holds at most one read.
    ctx.channel().config().setRecvByteBufAllocator(DIRECT_READS);
    ch.config().setRecvByteBufAllocator(DIRECT_READS);
    LOG.log(Level.DEBUG, "[{0}] tunnel stream {1} of agent {2} direct over {3}", info.connectionId(), id,
        mux.agentId(), ch.remoteAddress());
    dataSide = new DirectPeerHandler(this, ctx.channel(), route.down(), route.observer(), first);
    ch.pipeline().addLast(DirectPeerHandler.NAME, dataSide);
    gate.resume(ReadGate.SETUP);
    pumpDirect(); // bytes (and an EOF) that arrived while opening
  }

  /** Sends held client bytes over the data connection, as fast as the up bucket allows. */
  private void pumpDirect() {
    pumpScheduled = false;
    if (state != State.DIRECT) {
      return;
    }
    Bucket up = route.up();
    held = DirectPeerHandler.forwardShaped(held, up, data, n -> route.observer().bytes(n, 0));
    if (held != null) { // the rest waits for tokens
      gate.pause(ReadGate.SHAPER);
      if (!pumpScheduled) {
        pumpScheduled = true;
        ctx.executor().schedule(this::pumpDirect, refillNanos(up, held.readableBytes()), TimeUnit.NANOSECONDS);
      }
      return;
    }
    gate.resume(ReadGate.SHAPER);
    if (!data.isWritable()) {
      gate.pause(ReadGate.BACKPRESSURE); // the data connection's writability change resumes
    }
    if (clientEof && !finSent) {
      finSent = true;
      directEof(ctx.channel(), data);
    }
  }

  /**
   * One side of a direct stream reached EOF ({@code from}; everything it sent is queued towards
   * {@code to}): half-close {@code to} after those bytes, or close both once both sides are done.
   */
  void directEof(Channel from, Channel to) {
    boolean both = directEofs.incrementAndGet() == 2;
    to.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> {
      if (both) {
        from.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(io.netty.channel.ChannelFutureListener.CLOSE);
        to.close();
      } else if (to instanceof DuplexChannel d && d.isActive()) {
        d.shutdownOutput();
      } else {
        from.close();
      }
    });
  }

  /** The data connection can take writes again (any thread): resume reading the client. */
  void dataWritable() {
    ctx.executor().execute(() -> {
      if (state == State.DIRECT && data.isWritable()) {
        gate.resume(ReadGate.BACKPRESSURE);
      }
    });
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    DirectPeerHandler d = dataSide;
    if (d != null && ctx.channel().isWritable()) {
      d.peerWritable();
    }
    ctx.fireChannelWritabilityChanged();
  }

  private static void closeHard(Channel ch) {
    if (ch.isActive()) {
      try {
        ch.config().setOption(ChannelOption.SO_LINGER, 0);
      } catch (RuntimeException ignored) {
        // a normal close is fine
      }
    }
    ch.close();
  }

  private void onFrame(Frame frame) {
    if (state == State.FINISHED) {
      return;
    }
    if (state == State.DIRECT) {
      // Nothing but the data connection carries a direct stream; a late frame is a protocol slip.
      reset("frame_on_direct_stream");
      return;
    }
    switch (frame) {
      case Frame.OpenOk ok -> {
        if (state != State.OPENING) {
          reset("unexpected_open_ok");
          return;
        }
        state = State.OPEN;
        cancelOpenTimer();
        gate.resume(ReadGate.SETUP);
        pump(); // bytes (and an EOF) that arrived while opening
      }
      case Frame.OpenFail fail -> {
        if (state != State.OPENING) {
          reset("unexpected_open_fail");
          return;
        }
        String reason = openFailReason(fail.reason());
        LOG.log(Level.DEBUG, "[{0}] tunnel stream {1}: agent could not open {2}:{3}: {4} {5}", info.connectionId(),
            id, route.host(), route.port(), reason, fail.message());
        route.observer().openFailed(reason);
        end(reason);
        abort();
      }
      case Frame.Window w -> {
        if (!flow.grant(w.increment())) {
          reset("window_overflow");
          return;
        }
        pump();
      }
      case Frame.Close c -> {
        if (!c.reset() && state != State.OPEN) {
          reset("fin_before_open_ok");
          return;
        }
        if (c.reset()) {
          end("reset_by_agent");
          abort();
        } else if (!finReceived) {
          finReceived = true;
          Channel ch = ctx.channel();
          // After everything written so far: half-close towards the client.
          ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> {
            finDelivered = true;
            if (finSent) {
              end(null);
              ch.close();
            } else if (ch instanceof DuplexChannel d && d.isActive()) {
              d.shutdownOutput();
            }
          });
        }
      }
      default -> reset("unexpected_frame");
    }
  }

  private void onData(ByteBuf bytes) {
    if (state != State.OPEN || finReceived) {
      bytes.release();
      if (state != State.FINISHED) {
        reset(finReceived ? "data_after_fin" : state == State.DIRECT ? "frame_on_direct_stream" : "data_before_open_ok");
      }
      return;
    }
    int n = bytes.readableBytes();
    if (!flow.receive(n)) {
      bytes.release();
      reset("overrun");
      return;
    }
    route.observer().bytes(0, n);
    ctx.writeAndFlush(bytes).addListener(f -> {
      if (f.isSuccess()) {
        drained += n;
        grant();
      } else {
        ctx.close();
      }
    });
  }

  /** Returns drained credit to the agent, as fast as the down bucket allows. */
  private void grant() {
    grantScheduled = false;
    if (state != State.OPEN || drained == 0) {
      return;
    }
    Bucket down = route.down();
    long k = down == null ? drained : down.tryConsumeAsMuchAsPossible(drained);
    if (k > 0) {
      flow.consumed((int) k);
      drained -= k;
      int increment = flow.toGrant();
      if (increment > 0) {
        mux.send(new Frame.Window(id, increment));
      }
    }
    if (drained > 0 && !grantScheduled) {
      grantScheduled = true;
      ctx.executor().schedule(this::grant, refillNanos(down, drained), TimeUnit.NANOSECONDS);
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    // While OPENING reading is paused, but epoll still reads what precedes an early EOF: keep it.
    if (!(msg instanceof ByteBuf buf) || (state != State.OPEN && state != State.OPENING && state != State.DIRECT)
        || finSent) {
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
      CompositeByteBuf c = held instanceof CompositeByteBuf cb ? cb : ctx.alloc().compositeBuffer().addComponent(true, held);
      held = c.addComponent(true, buf);
    }
    // Full frames go at once; a remainder waits for the end of this read loop, so the reads of
    // one loop leave as few, large DATA frames (each frame costs a WebSocket message).
    if (state == State.DIRECT) {
      pumpDirect();
    } else if (held.readableBytes() >= mux.maxPayload()) {
      pump();
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (state != State.DIRECT) {
      pump();
    }
    ctx.fireChannelReadComplete();
  }

  /** Sends held client bytes as DATA within credit and bandwidth; pauses reading when it cannot. */
  private void pump() {
    pumpScheduled = false;
    if (state != State.OPEN) {
      return;
    }
    Bucket up = route.up();
    while (held != null && held.isReadable()) {
      int n = flow.sendable(Math.min(held.readableBytes(), mux.maxPayload()));
      if (n == 0) {
        gate.pause(ReadGate.CREDIT); // a WINDOW resumes
        return;
      }
      gate.resume(ReadGate.CREDIT);
      if (up != null) {
        n = (int) up.tryConsumeAsMuchAsPossible(n);
        if (n == 0) {
          gate.pause(ReadGate.SHAPER);
          if (!pumpScheduled) {
            pumpScheduled = true;
            ctx.executor().schedule(this::pump, refillNanos(up, held.readableBytes()), TimeUnit.NANOSECONDS);
          }
          return;
        }
      }
      flow.consume(n);
      mux.sendData(id, held.nioBuffer(held.readerIndex(), n));
      held.skipBytes(n);
      route.observer().bytes(n, 0);
    }
    releaseHeld();
    gate.resume(ReadGate.CREDIT | ReadGate.SHAPER);
    if (clientEof && !finSent) {
      finSent = true;
      mux.send(new Frame.Close(id, Frame.Close.FIN));
      // Both FINs: close, but not before the agent's bytes still queued towards the client are
      // written (close() would discard them); until then the FIN write's listener closes.
      if (finReceived && finDelivered) {
        end(null);
        ctx.close();
      }
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt == ChannelInputShutdownEvent.INSTANCE) {
      clientEof = true;
      if (state == State.OPEN) {
        pump(); // sends FIN once the held bytes are out
      } else if (state == State.DIRECT) {
        pumpDirect(); // half-closes the data connection once the held bytes are out
      }
    } else if (evt instanceof IdleStateEvent) {
      LOG.log(Level.DEBUG, "[{0}] tunnel stream {1} idle; closing", info.connectionId(), id);
      reset("idle");
    }
    ReferenceCountUtil.release(evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (state == State.OPENING || state == State.OPEN) {
      // The client went away before both FINs were exchanged: abort the agent's side.
      mux.send(new Frame.Close(id, Frame.Close.RESET));
      end(null); // the client's choice, not an error of the tunnel
    } else if (state == State.DIRECT) {
      end(null);
      Channel d = data;
      d.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(io.netty.channel.ChannelFutureListener.CLOSE);
    }
    releaseHeld();
    cancelOpenTimer();
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof IOException) {
      LOG.log(Level.DEBUG, "[{0}] tunnel stream {1} I/O error: {2}", info.connectionId(), id, cause.toString());
    } else {
      LOG.log(Level.WARNING, "[" + info.connectionId() + "] tunnel stream " + id + " failure", cause);
    }
    ctx.close();
  }

  /** Aborts the stream: RESET to the agent, the client connection closed. */
  private void reset(String reason) {
    if (state == State.OPENING || state == State.OPEN) {
      mux.send(new Frame.Close(id, Frame.Close.RESET));
      LOG.log(Level.DEBUG, "[{0}] tunnel stream {1} reset: {2}", info.connectionId(), id, reason);
    }
    end(reason);
    abort();
  }

  /** Marks the stream finished (once): forgets it in the mux and tells the observer. */
  private void end(String error) {
    if (state == State.FINISHED) {
      return;
    }
    boolean registered = state != State.ROUTING;
    state = State.FINISHED;
    cancelOpenTimer();
    releaseHeld();
    if (directKey != null) {
      direct.forget(directKey, this);
    }
    if (registered) {
      mux.remove(id, this);
    }
    route.observer().ended(error);
  }

  /** Closes the client connection with a TCP reset where possible (it never reached the target). */
  private void abort() {
    Channel d = data;
    if (d != null) {
      closeHard(d);
    }
    Channel ch = ctx.channel();
    if (ch.isActive()) {
      try {
        ch.config().setOption(ChannelOption.SO_LINGER, 0);
      } catch (RuntimeException ignored) {
        // not every transport supports it; a normal close is fine
      }
    }
    ch.close();
  }

  /**
   * How long to wait before {@code bucket} has a useful amount of tokens again: up to 4 KiB of
   * {@code wanted}, or a single token when that is more than the bucket's capacity (bucket4j then
   * answers "never"), at least 1 ms and at most 1 s.
   */
  static long refillNanos(Bucket bucket, long wanted) {
    long nanos = bucket.estimateAbilityToConsume(Math.max(1, Math.min(wanted, 4096))).getNanosToWaitForRefill();
    if (nanos == Long.MAX_VALUE) {
      nanos = bucket.estimateAbilityToConsume(1).getNanosToWaitForRefill();
    }
    return Math.max(1_000_000L, Math.min(nanos, 1_000_000_000L));
  }

  private void cancelOpenTimer() {
    if (openTimer != null) {
      openTimer.cancel(false);
      openTimer = null;
    }
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

  static String openFailReason(int code) {
    return switch (code) {
      case Frame.OpenFail.NOT_ALLOWED -> "not_allowed";
      case Frame.OpenFail.UNREACHABLE -> "unreachable";
      case Frame.OpenFail.REFUSED -> "refused";
      case Frame.OpenFail.TIMEOUT -> "timeout";
      default -> "general";
    };
  }
}
