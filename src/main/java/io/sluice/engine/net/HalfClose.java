package io.sluice.engine.net;

import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.epoll.AbstractEpollStreamChannel;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.unix.Socket;
import java.io.IOException;

/**
 * Half-closes the output of a stream channel (a TCP FIN to its peer).
 *
 * <p>Netty's {@code shutdownOutput} allocates a {@code ChannelOutputShutdownException} with a
 * filled-in stack trace on every call, to fail writes that might still be queued: 2.8 % of the
 * product's CPU in a profile of the benchmark's connection-rate load (a relay half-closes once per
 * connection that one side ends first). When nothing is queued on an epoll channel and the caller
 * is on its event loop, the socket is shut down directly ({@code shutdown(SHUT_WR)}, the system
 * call Netty's own path ends with; the channel then reports its output shut down as before).
 * Otherwise, and when that call fails, Netty's path runs.
 */
public final class HalfClose {

  private HalfClose() {}

  /** Shuts the channel's output down; see the class comment for which way. */
  public static void shutdownOutput(DuplexChannel channel) {
    if (channel instanceof AbstractEpollStreamChannel epoll
        && epoll.eventLoop().inEventLoop()
        && epoll.fd() instanceof Socket socket
        && !socket.isOutputShutdown()) {
      ChannelOutboundBuffer queued = epoll.unsafe().outboundBuffer();
      if (queued != null && queued.totalPendingWriteBytes() == 0) { // flushed or not
        try {
          socket.shutdown(false, true);
          return;
        } catch (IOException e) {
          // Netty's path below meets the same error and handles it as it always has
        }
      }
    }
    channel.shutdownOutput();
  }
}
