package io.sluice.engine.mux;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import io.sluice.engine.session.ReadGate;
import io.sluice.engine.spi.ConnectionInfo;
import io.sluice.engine.tunnel.Frame;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One connection accepted on a tunnel port, relayed as one stream of an agent's {@link TunnelMux}.
 * Everything runs on the channel's event loop (frames from the agent are handed over by {@link
 * #deliver}). This class drives the stream's life; its bytes travel in one of two modes: {@link
 * FramesStream} (frames over the agent's tunnel connection) or {@link DirectStream} (the agent's
 * own data connection), sharing the client's unsent bytes and EOF in {@link ClientInput}. The open
 * handshake's bookkeeping (routing, timeout, direct key, OPEN_FAIL) is in {@link StreamOpening}.
 *
 * <p>Life: accepted with reading paused; the {@link TunnelRouter} relays or refuses (refused: the
 * connection is closed at once). Relayed: OPEN (or OPEN_DIRECT) goes to the agent; OPEN_OK starts
 * reading in frames mode, the agent's data connection starts it in direct mode, OPEN_FAIL or
 * neither within the open timeout closes the connection. A slow client stalls its own stream and
 * nothing else. A RESET, an error or the agent's connection going away closes the client
 * connection.
 */
final class TunnelPortHandler extends ChannelInboundHandlerAdapter {

  private static final Logger LOG = System.getLogger(TunnelPortHandler.class.getName());
  static final String NAME = "tunnel-port";
  static final String IDLE = "tunnel-idle";

  private enum State {
    ROUTING,
    OPENING,
    OPEN,
    DIRECT,
    FINISHED
  }

  private final ConnectionInfo info;
  private final StreamOpening opening;
  private final ClientInput input = new ClientInput();
  private ChannelHandlerContext ctx;
  private ReadGate gate;
  private State state = State.ROUTING;
  private TunnelRoute.Relay route;
  private long id;

  /** Set once the stream has its id (frames mode, and the fallback of a direct offer). */
  private FramesStream frames;

  /** Set when the agent's data connection arrived (state DIRECT). */
  private DirectStream direct;

  TunnelPortHandler(ConnectionInfo info, Supplier<TunnelRouter> router, Duration openTimeout) {
    this.info = info;
    this.opening = new StreamOpening(info, router, openTimeout);
  }

  /** Sets up the pipeline of a connection accepted on a tunnel listener. */
  static void install(
      Channel ch,
      ConnectionInfo info,
      Supplier<TunnelRouter> router,
      Duration openTimeout,
      Duration idle) {
    ch.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
    ch.pipeline().addLast(IDLE, new IdleStateHandler(0, 0, idle.toMillis(), TimeUnit.MILLISECONDS));
    ch.pipeline().addLast(NAME, new TunnelPortHandler(info, router, openTimeout));
  }

  boolean isOpen() {
    return state == State.OPEN;
  }

  boolean isDirect() {
    return state == State.DIRECT;
  }

  boolean isFinished() {
    return state == State.FINISHED;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    this.gate = new ReadGate(ctx.channel(), ReadGate.SETUP);
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    route = opening.route();
    if (route == null) { // refused
      state = State.FINISHED;
      abort();
      return;
    }
    switch (route.mux().open(this, route.host(), route.port())) {
      case OpenResult.Refused refused -> {
        String reason = refused.reason().label();
        route.observer().openFailed(reason);
        end(reason);
        abort();
        return;
      }
      case OpenResult.Opened opened -> id = opened.streamId();
    }
    frames = new FramesStream(this, ctx, gate, route, id, input);
    state = State.OPENING;
    opening.started(ctx.executor(), route, id, this::openTimedOut);
  }

  private void openTimedOut() {
    if (state == State.OPENING) {
      route.observer().openFailed("timeout");
      reset("open_timeout");
    }
  }

  /** A frame from the agent for this stream (any thread). */
  void deliver(Frame frame) {
    if (frame instanceof Frame.Data d) {
      // Wrap now, on the container's thread: the frame's bytes are already our own copy.
      ByteBuf bytes = Unpooled.wrappedBuffer(d.buffer());
      ctx.executor().execute(() -> frames.onData(bytes));
    } else {
      ctx.executor().execute(() -> onFrame(frame));
    }
  }

  /** The agent's connection is gone (any thread). */
  void connectionLost() {
    ctx.executor()
        .execute(() -> {
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
    opening.offeredDirect(streams, key);
  }

  /**
   * The agent's data connection for this stream arrived (on its own event loop, reading paused);
   * {@code first} holds what followed the preamble. Relays directly from now on.
   */
  void attachDirect(Channel ch, ByteBuf first) {
    DirectStream.joinLoop(ch, ctx.channel().eventLoop(), () -> onDirect(ch, first), first);
  }

  private void onDirect(Channel ch, ByteBuf first) {
    if (state != State.OPENING) {
      first.release();
      opening.lateDirect(id);
      closeHard(ch);
      return;
    }
    state = State.DIRECT;
    opening.cancelTimer();
    opening.wentDirect(route, id, ch.remoteAddress());
    direct = new DirectStream(this, ctx, gate, route, input, ch, first);
    direct.start(); // sends bytes (and an EOF) that arrived while opening
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    DirectStream d = direct;
    if (d != null && ctx.channel().isWritable()) {
      d.clientWritable();
    }
    ctx.fireChannelWritabilityChanged();
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
        opening.cancelTimer();
        gate.resume(ReadGate.SETUP);
        frames.pump(); // bytes (and an EOF) that arrived while opening
      }
      case Frame.OpenFail fail -> {
        if (state != State.OPENING) {
          reset("unexpected_open_fail");
          return;
        }
        String reason = opening.failed(route, id, fail);
        route.observer().openFailed(reason);
        end(reason);
        abort();
      }
      case Frame.Window w -> frames.onWindow(w.increment());
      case Frame.Close c -> frames.onClose(c.reset());
      default -> reset("unexpected_frame");
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    // While OPENING reading is paused, but epoll still reads what precedes an early EOF: keep it.
    if (!(msg instanceof ByteBuf buf)
        || (state != State.OPEN && state != State.OPENING && state != State.DIRECT)
        || input.eofSent()) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (!buf.isReadable()) {
      buf.release();
      return;
    }
    input.add(ctx.alloc(), buf);
    // Full frames go at once; a remainder waits for the end of this read loop, so the reads of
    // one loop leave as few, large DATA frames (each frame costs a WebSocket message).
    if (state == State.DIRECT) {
      direct.pump();
    } else if (frames.frameReady()) {
      frames.pump();
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (state != State.DIRECT && frames != null) {
      frames.pump();
    }
    ctx.fireChannelReadComplete();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt == ChannelInputShutdownEvent.INSTANCE) {
      input.markEof();
      if (state == State.OPEN) {
        frames.pump(); // sends FIN once the held bytes are out
      } else if (state == State.DIRECT) {
        direct.pump(); // half-closes the data connection once the held bytes are out
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
      route.mux().send(new Frame.Close(id, Frame.Close.RESET));
      end(null); // the client's choice, not an error of the tunnel
    } else if (state == State.DIRECT) {
      end(null);
      direct.clientClosed();
    }
    input.release();
    opening.cancelTimer();
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof IOException) {
      LOG.log(
          Level.DEBUG,
          "[{0}] tunnel stream {1} I/O error: {2}",
          info.connectionId(),
          id,
          cause.toString());
    } else {
      LOG.log(
          Level.WARNING, "[" + info.connectionId() + "] tunnel stream " + id + " failure", cause);
    }
    ctx.close();
  }

  /** Aborts the stream: RESET to the agent, the client connection closed. */
  void reset(String reason) {
    if (state == State.OPENING || state == State.OPEN) {
      route.mux().send(new Frame.Close(id, Frame.Close.RESET));
      LOG.log(Level.DEBUG, "[{0}] tunnel stream {1} reset: {2}", info.connectionId(), id, reason);
    }
    end(reason);
    abort();
  }

  /** Marks the stream finished (once): forgets it in the mux and tells the observer. */
  void end(String error) {
    if (state == State.FINISHED) {
      return;
    }
    boolean registered = state != State.ROUTING;
    state = State.FINISHED;
    input.release();
    opening.ended(this);
    if (registered) {
      route.mux().remove(id, this);
    }
    route.observer().ended(error);
  }

  /** Closes the client connection with a TCP reset where possible (it never reached the target). */
  void abort() {
    DirectStream d = direct;
    if (d != null) {
      d.abort();
    }
    closeHard(ctx.channel());
  }

  /** Closes {@code ch}, with a TCP reset (SO_LINGER 0) where the transport supports it. */
  static void closeHard(Channel ch) {
    if (ch.isActive()) {
      try {
        ch.config().setOption(ChannelOption.SO_LINGER, 0);
      } catch (RuntimeException ignored) {
        // not every transport supports it; a normal close is fine
      }
    }
    ch.close();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    input.release();
  }
}
