package io.sluice.engine.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.ChannelOutputShutdownException;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link HalfClose}: a FIN to the peer, the channel still reads, on both transports. */
class HalfCloseTest {

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void thePeerSeesEndOfStreamAndTheChannelStillReads(boolean nativeTransport) throws Exception {
    Transport transport = Transport.select(nativeTransport);
    EventLoopGroup group = transport.newGroup(1, new DefaultThreadFactory("halfclose-test", true));
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    try (ServerSocket server = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      Channel ch = connect(transport, group, server, received);
      try (Socket peer = server.accept()) {
        peer.setSoTimeout(5000);
        ch.writeAndFlush(Unpooled.copiedBuffer("request", StandardCharsets.US_ASCII)).sync();
        ch.eventLoop().submit(() -> HalfClose.shutdownOutput((DuplexChannel) ch)).sync();

        InputStream in = peer.getInputStream();
        assertThat(new String(in.readNBytes(7), StandardCharsets.US_ASCII)).isEqualTo("request");
        assertThat(in.read()).as("end of stream after the half-close").isEqualTo(-1);
        assertThat(((DuplexChannel) ch).isOutputShutdown()).isTrue();
        assertThat(ch.isActive()).isTrue();
        // which way: Netty's path drops the outbound buffer (and allocates its exception), the
        // direct one on epoll keeps it
        assertThat(ch.unsafe().outboundBuffer() != null)
            .as("shut down directly")
            .isEqualTo(nativeTransport);

        // the other direction still works: the answer arrives after the half-close
        byte[] answer = new byte[200_000];
        java.util.Arrays.fill(answer, (byte) 'a');
        peer.getOutputStream().write(answer);
        peer.shutdownOutput();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (received.size() < answer.length && System.nanoTime() < deadline) {
          Thread.sleep(10);
        }
        assertThat(received.size()).isEqualTo(answer.length);
      }
      ch.close().sync();
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }

  /** With a write still queued, Netty's own path runs: the queued write fails, as it always did. */
  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void aQueuedWriteTakesNettysPath(boolean nativeTransport) throws Exception {
    Transport transport = Transport.select(nativeTransport);
    EventLoopGroup group = transport.newGroup(1, new DefaultThreadFactory("halfclose-test", true));
    try (ServerSocket server = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      Channel ch = connect(transport, group, server, new ByteArrayOutputStream());
      try (Socket peer = server.accept()) {
        peer.setSoTimeout(5000);
        ChannelFuture queued =
            ch.eventLoop()
                .submit(() -> {
                  ChannelFuture w = ch.write(Unpooled.copiedBuffer("x", StandardCharsets.US_ASCII));
                  HalfClose.shutdownOutput((DuplexChannel) ch);
                  return w;
                })
                .get();
        ExecutionException failed =
            org.junit.jupiter.api.Assertions.assertThrows(
                ExecutionException.class, () -> queued.get(5, TimeUnit.SECONDS));
        assertThat(failed.getCause()).isInstanceOf(ChannelOutputShutdownException.class);
        assertThat(peer.getInputStream().read()).isEqualTo(-1);
      }
      ch.close().sync();
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }

  private static Channel connect(
      Transport transport, EventLoopGroup group, ServerSocket server, ByteArrayOutputStream sink)
      throws InterruptedException {
    return new Bootstrap()
        .group(group)
        .channel(transport.socketChannel())
        .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
        .handler(
            new ChannelInboundHandlerAdapter() {
              @Override
              public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ByteBuf b = (ByteBuf) msg;
                synchronized (sink) {
                  byte[] bytes = new byte[b.readableBytes()];
                  b.readBytes(bytes);
                  sink.writeBytes(bytes);
                }
                b.release();
              }
            })
        .connect(new InetSocketAddress(server.getInetAddress(), server.getLocalPort()))
        .sync()
        .channel();
  }
}
