package io.sluice.engine.net;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.util.concurrent.ThreadFactory;

/**
 * The Netty transport in use: epoll when {@link Epoll#isAvailable()} (and preferred), NIO
 * otherwise. The epoll event loops run Netty's handler behind {@link EpollInterestGuard}, which
 * works around a Netty 4.2.18 bug that truncated answers to half-closed clients. Event loops are
 * always created from the host's {@link ThreadFactory}, as Netty fast-thread-local threads ({@link
 * LoopThreads}) so that Netty's per-thread pools work on them.
 */
public record Transport(
    String name,
    IoHandlerFactory ioHandlerFactory,
    Class<? extends ServerSocketChannel> serverChannel,
    Class<? extends SocketChannel> socketChannel,
    Class<? extends DatagramChannel> datagramChannel) {

  /**
   * The buffer allocator of every engine channel (accepted, outgoing, BIND and UDP). Netty 4.2
   * defaults to its adaptive allocator, which on JDK 25 (where Netty no longer uses Unsafe and
   * allocates direct memory through a shared {@code Arena} per allocation) releases and
   * re-allocates direct memory chunks under relay load: every release closes a shared arena, which
   * is a JVM-wide thread handshake. The pooled allocator keeps its chunks, and relays about 1.6x
   * the bytes per CPU second on this path (see docs/benchmarks.md).
   */
  public static final ByteBufAllocator ALLOCATOR = PooledByteBufAllocator.DEFAULT;

  public static Transport select(boolean preferNative) {
    if (preferNative && Epoll.isAvailable()) {
      return new Transport(
          "epoll",
          new EpollInterestGuard(),
          EpollServerSocketChannel.class,
          EpollSocketChannel.class,
          EpollDatagramChannel.class);
    }
    return new Transport(
        "nio",
        NioIoHandler.newFactory(),
        NioServerSocketChannel.class,
        NioSocketChannel.class,
        NioDatagramChannel.class);
  }

  public EventLoopGroup newGroup(int threads, ThreadFactory threadFactory) {
    return new MultiThreadIoEventLoopGroup(
        threads, LoopThreads.withFastThreadLocals(threadFactory), ioHandlerFactory);
  }
}
