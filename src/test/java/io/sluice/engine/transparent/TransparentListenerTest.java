package io.sluice.engine.transparent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.sluice.engine.config.ListenerConfig;
import io.sluice.engine.config.ListenerKind;
import io.sluice.engine.net.OriginalDestination;
import io.sluice.engine.net.Transport;
import io.sluice.engine.spi.ListenerTag;
import io.sluice.engine.support.TestEngine;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The transparent listener without a firewall: a connection made straight to it has no NAT mapping,
 * so it has no original destination and is closed and counted. The redirected path is covered by
 * the packet test (io.sluice.it.FirewallPacketIT) in network namespaces.
 */
class TransparentListenerTest {

  @Test
  void getsockoptIsBoundThroughTheForeignFunctionApi() {
    assumeTrue(Runtime.version().feature() >= 22, "java.lang.foreign needs Java 22+");
    assertThat(OriginalDestination.supported()).isTrue();
  }

  @Test
  void parsesSockaddrIn() {
    byte[] sa = {2, 0, 0x1f, (byte) 0x90, 10, 77, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0};
    assertThat(OriginalDestination.parse(sa)).isEqualTo(new InetSocketAddress("10.77.0.2", 8080));
  }

  @Test
  void parsesSockaddrIn6() {
    byte[] sa = new byte[28];
    sa[0] = 10;
    sa[2] = 0x01;
    sa[3] = (byte) 0xbb;
    sa[8] = 0x20;
    sa[9] = 0x01;
    sa[10] = 0x0d;
    sa[11] = (byte) 0xb8;
    sa[23] = 0x0a;
    assertThat(OriginalDestination.parse(sa)).isEqualTo(new InetSocketAddress("2001:db8::a", 443));
  }

  @Test
  void unknownFamilyOrShortBufferIsNoDestination() {
    assertThat(OriginalDestination.parse(new byte[] {1, 0, 0, 80})).isNull();
    assertThat(OriginalDestination.parse(new byte[] {9, 0, 0, 80, 1, 2, 3, 4})).isNull();
  }

  @Test
  void theDescriptorIsReadOnBothTransports() throws Exception {
    for (boolean epoll : new boolean[] {false, true}) {
      if (epoll && !Epoll.isAvailable()) {
        continue;
      }
      AtomicInteger fd = new AtomicInteger(-2);
      Transport transport = Transport.select(epoll);
      EventLoopGroup group = transport.newGroup(1, new DefaultThreadFactory("fd-test", true));
      try {
        Channel server =
            new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannel())
                .childHandler(
                    new ChannelInboundHandlerAdapter() {
                      @Override
                      public void channelActive(ChannelHandlerContext ctx) {
                        fd.set(OriginalDestination.fd(ctx.channel()));
                        ctx.close();
                      }
                    })
                .bind("127.0.0.1", 0)
                .sync()
                .channel();
        try (Socket s =
            new Socket("127.0.0.1", ((InetSocketAddress) server.localAddress()).getPort())) {
          await().atMost(Duration.ofSeconds(5)).until(() -> fd.get() != -2);
        }
        server.close().sync();
      } finally {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
      }
      assertThat(fd.get()).as("descriptor on %s", transport.name()).isGreaterThan(2);
    }
  }

  @Test
  void aDirectConnectionIsClosedAndCounted() throws Exception {
    try (TestEngine t =
        new TestEngine(b ->
            b.listener(
                new ListenerConfig(
                    ListenerTag.TRANSPARENT,
                    new InetSocketAddress("127.0.0.1", 0),
                    ListenerKind.TRANSPARENT)))) {
      t.auth.acceptSource = true;
      try (Socket s = new Socket("127.0.0.1", t.port("transparent"))) {
        s.setSoTimeout(5_000);
        s.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes());
        InputStream in = s.getInputStream();
        int first;
        try {
          first = in.read();
        } catch (java.net.SocketException reset) {
          first = -1;
        }
        assertThat(first).isEqualTo(-1);
      }
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(() ->
              assertThat(t.events.handshakes).contains("transparent:no-original-destination"));
      assertThat(t.events.opened).isEmpty();
    }
  }
}
