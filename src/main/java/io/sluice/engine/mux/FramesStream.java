package io.sluice.engine.mux;

import io.github.bucket4j.Bucket;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DuplexChannel;
import io.sluice.engine.session.ReadGate;
import io.sluice.engine.tunnel.FlowControl;
import io.sluice.engine.tunnel.Frame;
import java.util.concurrent.TimeUnit;

/**
 * A tunnel stream carried as frames over the agent's tunnel connection (the default; also the
 * fallback of a stream offered as direct). Client bytes become DATA frames of at most {@code
 * min(maxPayload, credit)} bytes; with no credit (or while the mapping's up bucket is empty)
 * reading pauses until a WINDOW arrives (or tokens refill), so a stalled agent-side target costs at
 * most one window here. Agent DATA is written to the client, and its credit is returned (WINDOW)
 * only once written, and only as fast as the mapping's down bucket allows. EOF either way is a FIN
 * (half-close). Created by {@link TunnelPortHandler} once the stream has its id; runs on the client
 * channel's event loop.
 */
final class FramesStream {

  private final TunnelPortHandler stream;
  private final ChannelHandlerContext ctx;
  private final ReadGate gate;
  private final TunnelRoute.Relay route;
  private final long id;
  private final ClientInput input;
  private final FlowControl flow;
  private boolean finReceived;

  /** The agent's FIN has reached the client (everything before it is written, output shut down). */
  private boolean finDelivered;

  /** Agent bytes written to the client whose credit has not been returned yet. */
  private long drained;

  private boolean grantScheduled;
  private boolean pumpScheduled;

  FramesStream(
      TunnelPortHandler stream,
      ChannelHandlerContext ctx,
      ReadGate gate,
      TunnelRoute.Relay route,
      long id,
      ClientInput input) {
    this.stream = stream;
    this.ctx = ctx;
    this.gate = gate;
    this.route = route;
    this.id = id;
    this.input = input;
    this.flow = new FlowControl(route.mux().initialWindow());
  }

  /** True when a full frame's worth of client bytes is held: send it without waiting. */
  boolean frameReady() {
    return input.readableBytes() >= route.mux().maxPayload();
  }

  void onWindow(int increment) {
    if (!flow.grant(increment)) {
      stream.reset("window_overflow");
      return;
    }
    pump();
  }

  /** CLOSE from the agent: a RESET aborts the stream, a FIN half-closes towards the client. */
  void onClose(boolean reset) {
    if (!reset && !stream.isOpen()) {
      stream.reset("fin_before_open_ok");
      return;
    }
    if (reset) {
      stream.end("reset_by_agent");
      stream.abort();
    } else if (!finReceived) {
      finReceived = true;
      Channel ch = ctx.channel();
      // After everything written so far: half-close towards the client.
      ch.writeAndFlush(Unpooled.EMPTY_BUFFER)
          .addListener(f -> {
            finDelivered = true;
            if (input.eofSent()) {
              stream.end(null);
              ch.close();
            } else if (ch instanceof DuplexChannel d && d.isActive()) {
              d.shutdownOutput();
            }
          });
    }
  }

  /** DATA from the agent (its bytes are ours to release). */
  void onData(ByteBuf bytes) {
    if (!stream.isOpen() || finReceived) {
      bytes.release();
      if (!stream.isFinished()) {
        stream.reset(
            finReceived
                ? "data_after_fin"
                : stream.isDirect() ? "frame_on_direct_stream" : "data_before_open_ok");
      }
      return;
    }
    int n = bytes.readableBytes();
    if (!flow.receive(n)) {
      bytes.release();
      stream.reset("overrun");
      return;
    }
    route.observer().bytes(0, n);
    ctx.writeAndFlush(bytes)
        .addListener(f -> {
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
    if (!stream.isOpen() || drained == 0) {
      return;
    }
    Bucket down = route.down();
    long k = down == null ? drained : down.tryConsumeAsMuchAsPossible(drained);
    if (k > 0) {
      flow.consumed((int) k);
      drained -= k;
      int increment = flow.toGrant();
      if (increment > 0) {
        route.mux().send(new Frame.Window(id, increment));
      }
    }
    if (drained > 0 && !grantScheduled) {
      grantScheduled = true;
      ctx.executor()
          .schedule(this::grant, Shaping.refillNanos(down, drained), TimeUnit.NANOSECONDS);
    }
  }

  /** Sends held client bytes as DATA within credit and bandwidth; pauses reading when it cannot. */
  void pump() {
    pumpScheduled = false;
    if (!stream.isOpen()) {
      return;
    }
    TunnelMux mux = route.mux();
    Bucket up = route.up();
    ByteBuf held = input.held();
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
            ctx.executor()
                .schedule(
                    this::pump,
                    Shaping.refillNanos(up, held.readableBytes()),
                    TimeUnit.NANOSECONDS);
          }
          return;
        }
      }
      flow.consume(n);
      mux.sendData(id, held.nioBuffer(held.readerIndex(), n));
      held.skipBytes(n);
      route.observer().bytes(n, 0);
    }
    input.release();
    gate.resume(ReadGate.CREDIT | ReadGate.SHAPER);
    if (input.takeEof()) {
      mux.send(new Frame.Close(id, Frame.Close.FIN));
      // Both FINs: close, but not before the agent's bytes still queued towards the client are
      // written (close() would discard them); until then the FIN write's listener closes.
      if (finReceived && finDelivered) {
        stream.end(null);
        ctx.close();
      }
    }
  }
}
