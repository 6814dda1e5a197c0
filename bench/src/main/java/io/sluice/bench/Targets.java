package io.sluice.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The benchmark's own targets on 127.0.0.1, on one Netty event loop: a sink (reads and drops
 * everything), a source (writes 64 KiB chunks as fast as the connection takes them, drops what
 * it reads), an echo server, and an echo server that closes after 64 bytes.
 */
final class Targets implements AutoCloseable {

  static final int CHUNK = 64 * 1024;
  private final EventLoopGroup group;
  private final List<Channel> servers = new ArrayList<>();
  private final ByteBuf chunk = Unpooled.unreleasableBuffer(Unpooled.directBuffer(CHUNK).writeZero(CHUNK));

  Targets(int sinkPort, int sourcePort, int echoPort, int echoClosePort) {
    boolean epoll = Epoll.isAvailable();
    group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("target", true),
        epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    Class<? extends ServerChannel> server = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    bind(server, sinkPort, Sink::new);
    bind(server, sourcePort, Source::new);
    bind(server, echoPort, Echo::new);
    bind(server, echoClosePort, EchoOnce::new);
  }

  private void bind(Class<? extends ServerChannel> type, int port, Supplier<ChannelHandler> handler) {
    Channel ch = new ServerBootstrap().group(group).channel(type)
        .option(ChannelOption.SO_REUSEADDR, true)
        .option(ChannelOption.SO_BACKLOG, 4096)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 * 1024, 512 * 1024))
        .childHandler(new ChannelInitializer<>() {
          @Override
          protected void initChannel(Channel c) {
            c.pipeline().addLast(handler.get());
          }
        })
        .bind(new InetSocketAddress("127.0.0.1", port)).syncUninterruptibly().channel();
    servers.add(ch);
  }

  private static final class Sink extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ReferenceCountUtil.release(msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  private final class Source extends ChannelInboundHandlerAdapter {
    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      pump(ctx);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      pump(ctx);
    }

    private void pump(ChannelHandlerContext ctx) {
      Channel ch = ctx.channel();
      while (ch.isActive() && ch.isWritable()) {
        ch.write(chunk.duplicate());
      }
      ch.flush();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ReferenceCountUtil.release(msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  private static final class Echo extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ctx.writeAndFlush(msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  /** Echoes 64 bytes, then closes (the target, not the proxy, does the active close). */
  private static final class EchoOnce extends ChannelInboundHandlerAdapter {
    private int echoed;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      echoed += ((ByteBuf) msg).readableBytes();
      var f = ctx.writeAndFlush(msg);
      if (echoed >= 64) {
        f.addListener(io.netty.channel.ChannelFutureListener.CLOSE);
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  @Override
  public void close() {
    for (Channel s : servers) {
      s.close().syncUninterruptibly();
    }
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
