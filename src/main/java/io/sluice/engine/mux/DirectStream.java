package io.sluice.engine.mux;

import io.github.bucket4j.Bucket;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.socket.DuplexChannel;
import io.sluice.engine.session.ReadGate;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tunnel stream carried over the agent's own data connection (OPEN_DIRECT accepted): client bytes
 * go to the data connection as fast as the mapping's up bucket allows, the data connection's
 * non-writability pauses reading the client; the other direction is {@link DirectPeerHandler}'s.
 * EOF either way half-closes the other connection after the bytes before it; both EOFs close both.
 * Both channels share the client channel's event loop.
 */
final class DirectStream {

  /**
   * Bulk streams: reads of up to 256 KiB (adaptive, shrinking when traffic is light) halve the
   * system calls per byte; a stalled direction still holds at most one read.
   */
  private static final RecvByteBufAllocator DIRECT_READS =
      new AdaptiveRecvByteBufAllocator(512, 16384, 262144);

  private final TunnelPortHandler stream;
  private final ChannelHandlerContext ctx;
  private final ReadGate gate;
  private final TunnelRoute.Relay route;
  private final ClientInput input;

  /** The agent's data connection. */
  private final Channel data;

  private final DirectPeerHandler dataSide;

  /** EOFs seen (client and data connection); 2 = both done. */
  private final AtomicInteger eofs = new AtomicInteger();

  private boolean pumpScheduled;

  /** {@code first} holds what followed the data connection's preamble. */
  DirectStream(
      TunnelPortHandler stream,
      ChannelHandlerContext ctx,
      ReadGate gate,
      TunnelRoute.Relay route,
      ClientInput input,
      Channel data,
      ByteBuf first) {
    this.stream = stream;
    this.ctx = ctx;
    this.gate = gate;
    this.route = route;
    this.input = input;
    this.data = data;
    this.dataSide =
        new DirectPeerHandler(this, ctx.channel(), route.down(), route.observer(), first);
  }

  /**
   * Runs {@code then} on {@code own} once the data connection {@code ch} is registered there, so
   * that both channels of the stream share one event loop: every write is a same-thread write (no
   * task hand-off and selector wake-up per read, which halved single-stream throughput). If the
   * move fails, {@code first} is released and {@code ch} closed.
   */
  static void joinLoop(Channel ch, EventLoop own, Runnable then, ByteBuf first) {
    if (ch.eventLoop() == own) {
      own.execute(then);
      return;
    }
    ch.deregister()
        .addListener(d -> {
          if (!d.isSuccess()) {
            first.release();
            ch.close();
            return;
          }
          try {
            own.register(ch)
                .addListener(r -> {
                  if (r.isSuccess()) {
                    then.run();
                  } else {
                    first.release();
                    ch.close();
                  }
                });
          } catch (RejectedExecutionException stopping) {
            first.release();
            ch.close();
          }
        });
  }

  /**
   * Starts relaying: both directions read, bytes (and an EOF) that arrived while opening go out.
   */
  void start() {
    ctx.channel().config().setRecvByteBufAllocator(DIRECT_READS);
    data.config().setRecvByteBufAllocator(DIRECT_READS);
    data.pipeline().addLast(DirectPeerHandler.NAME, dataSide);
    gate.resume(ReadGate.SETUP);
    pump();
  }

  /** Sends held client bytes over the data connection, as fast as the up bucket allows. */
  void pump() {
    pumpScheduled = false;
    if (!stream.isDirect()) {
      return;
    }
    Bucket up = route.up();
    ByteBuf rest = Shaping.forwardShaped(input.take(), up, data, n -> route.observer().bytes(n, 0));
    input.putBack(rest);
    if (rest != null) { // the rest waits for tokens
      gate.pause(ReadGate.SHAPER);
      if (!pumpScheduled) {
        pumpScheduled = true;
        ctx.executor()
            .schedule(
                this::pump, Shaping.refillNanos(up, rest.readableBytes()), TimeUnit.NANOSECONDS);
      }
      return;
    }
    gate.resume(ReadGate.SHAPER);
    if (!data.isWritable()) {
      gate.pause(ReadGate.BACKPRESSURE); // the data connection's writability change resumes
    }
    if (input.takeEof()) {
      eof(ctx.channel(), data);
    }
  }

  /**
   * One side reached EOF ({@code from}; everything it sent is queued towards {@code to}):
   * half-close {@code to} after those bytes, or close both once both sides are done.
   */
  void eof(Channel from, Channel to) {
    boolean both = eofs.incrementAndGet() == 2;
    to.writeAndFlush(Unpooled.EMPTY_BUFFER)
        .addListener(f -> {
          if (both) {
            from.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
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
    ctx.executor()
        .execute(() -> {
          if (stream.isDirect() && data.isWritable()) {
            gate.resume(ReadGate.BACKPRESSURE);
          }
        });
  }

  /** The client can take writes again: resume reading the data connection. */
  void clientWritable() {
    dataSide.peerWritable();
  }

  /** The client connection is gone: the data connection closes after what is queued on it. */
  void clientClosed() {
    data.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
  }

  /** Closes the data connection at once (with a reset where possible). */
  void abort() {
    TunnelPortHandler.closeHard(data);
  }

  Channel data() {
    return data;
  }
}
