package io.sluice.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.sluice.engine.config.ListenerConfig;
import io.sluice.engine.exit.DirectConnector;
import io.sluice.engine.net.Transport;
import io.sluice.engine.spi.Destination;
import io.sluice.engine.spi.ExitRoute;
import io.sluice.engine.support.TcpEcho;
import io.sluice.engine.support.TestEngine;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every engine channel uses the pooled allocator: Netty 4.2's default adaptive allocator frees
 * direct-memory chunks under relay load, which on JDK 25 costs a JVM-wide handshake per free (see
 * {@link Transport#ALLOCATOR}).
 */
class AllocatorTest {

  @Test
  void allocatorIsPooled() {
    assertThat(Transport.ALLOCATOR).isInstanceOf(PooledByteBufAllocator.class);
  }

  @Test
  void listenersAndTheirConnectionsUseThePooledAllocator() {
    try (TestEngine t = new TestEngine()) {
      ListenerConfig l = t.engine.config().listeners().get(0);
      ServerBootstrap b = t.engine.bootstrap(l);
      assertThat(b.config().options().get(ChannelOption.ALLOCATOR)).isSameAs(Transport.ALLOCATOR);
      assertThat(b.config().childOptions().get(ChannelOption.ALLOCATOR))
          .isSameAs(Transport.ALLOCATOR);
    }
  }

  /**
   * And have TCP_NODELAY on, on both transports: Netty's socket configs set it when they create the
   * socket, so the connectors no longer set it a second time.
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(booleans = {true, false})
  void upstreamConnectionsUseThePooledAllocator(boolean nativeTransport) throws Exception {
    Transport transport = Transport.select(nativeTransport);
    EventLoopGroup group = transport.newGroup(1, new DefaultThreadFactory("alloc-test", true));
    try (TcpEcho echo = new TcpEcho()) {
      Channel upstream =
          new DirectConnector(transport.socketChannel())
              .connect(
                  ExitRoute.direct(),
                  List.of(InetAddress.getLoopbackAddress()),
                  new Destination("127.0.0.1", echo.port()),
                  group.next(),
                  Duration.ofSeconds(5))
              .get();
      assertThat(upstream.alloc()).isSameAs(Transport.ALLOCATOR);
      assertThat(upstream.config().getOption(ChannelOption.TCP_NODELAY)).isTrue();
      upstream.close().sync();
    } finally {
      group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).sync();
    }
  }
}
