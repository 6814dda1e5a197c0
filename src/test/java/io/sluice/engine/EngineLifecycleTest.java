package io.sluice.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.netty.util.concurrent.DefaultThreadFactory;
import io.sluice.engine.config.EngineConfig;
import io.sluice.engine.config.ListenerConfig;
import io.sluice.engine.config.ListenerKind;
import io.sluice.engine.spi.Authenticator;
import io.sluice.engine.spi.DestinationPolicy;
import io.sluice.engine.spi.EngineEvents;
import io.sluice.engine.spi.ExitSelector;
import io.sluice.engine.support.Socks5Client;
import io.sluice.engine.support.TcpEcho;
import io.sluice.engine.support.TestEngine;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import org.junit.jupiter.api.Test;

class EngineLifecycleTest {

  private static final Set<String> threadNames = ConcurrentHashMap.newKeySet();
  private static final ThreadFactory FACTORY =
      r -> {
        Thread th = new DefaultThreadFactory("host-managed", true).newThread(r);
        threadNames.add(th.getName());
        return th;
      };

  private static ProxyEngine engine(ListenerConfig... listeners) {
    EngineConfig.Builder b =
        EngineConfig.builder().ioThreads(1).preferNativeTransport(TestEngine.NATIVE);
    for (ListenerConfig l : listeners) {
      b.listener(l);
    }
    return new ProxyEngine(
        b.build(),
        FACTORY,
        Authenticator.allowAll(),
        DestinationPolicy.allowAll(),
        ExitSelector.direct(),
        EngineEvents.NONE);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    }
  }

  @Test
  void stopReleasesPortsForANewEngine() throws IOException {
    int port = freePort();
    ListenerConfig l = ListenerConfig.of("socks", "127.0.0.1", port, ListenerKind.SOCKS, false);
    ProxyEngine first = engine(l);
    assertThat(first.isReady()).isFalse();
    first.start();
    assertThat(first.isReady()).isTrue();
    assertThat(first.listenerStates().get("socks").port()).isEqualTo(port);
    assertThat(threadNames).isNotEmpty().allMatch(n -> n.startsWith("host-managed"));
    first.stop(Duration.ofMillis(100));
    assertThat(first.isReady()).isFalse();
    ProxyEngine second = engine(l);
    second.start();
    assertThat(second.isReady()).isTrue();
    second.stop(Duration.ZERO);
  }

  @Test
  void bindFailureIsReportedAndNotReady() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      ProxyEngine e =
          engine(
              ListenerConfig.of("ok", "127.0.0.1", 0, ListenerKind.HTTP, true),
              ListenerConfig.of(
                  "clash", "127.0.0.1", taken.getLocalPort(), ListenerKind.SOCKS, true));
      assertThatThrownBy(e::start)
          .isInstanceOf(EngineStartException.class)
          .hasMessageContaining("clash")
          .hasMessageContaining(String.valueOf(taken.getLocalPort()));
      assertThat(e.isReady()).isFalse();
      assertThat(e.listenerStates().get("ok").status()).isEqualTo(ListenerState.Status.BOUND);
      assertThat(e.listenerStates().get("clash").status()).isEqualTo(ListenerState.Status.FAILED);
      assertThat(e.listenerStates().get("clash").error()).contains("clash");
      e.stop(Duration.ZERO);
    }
  }

  @Test
  void addAndRemoveListenerAtRuntime() throws IOException {
    ProxyEngine e = engine(ListenerConfig.of("main", "127.0.0.1", 0, ListenerKind.SOCKS, false));
    e.start();
    try (TcpEcho echo = new TcpEcho()) {
      ListenerState added =
          e.addListener(ListenerConfig.of("dedicated", "127.0.0.1", 0, ListenerKind.SOCKS, false));
      assertThat(added.status()).isEqualTo(ListenerState.Status.BOUND);
      assertThat(e.isReady()).isTrue();
      try (Socks5Client c = new Socks5Client(added.port())) {
        assertThat(c.greet(0)).isZero();
        c.requestIp(1, InetAddress.getByName("127.0.0.1"), echo.port());
        assertThat(c.reply().rep()).isZero();
        assertThat(e.removeListener("dedicated")).isTrue();
        // the live session survives the listener's removal
        c.out.write(7);
        assertThat(c.in.read()).isEqualTo(7);
      }
      assertThatThrownBy(() -> new Socks5Client(added.port()).close())
          .isInstanceOf(IOException.class);
      assertThat(e.removeListener("dedicated")).isFalse();
    } finally {
      e.stop(Duration.ZERO);
    }
  }

  @Test
  void stopDrainsThenClosesLiveSessions() throws IOException {
    ProxyEngine e = engine(ListenerConfig.of("main", "127.0.0.1", 0, ListenerKind.SOCKS, false));
    e.start();
    try (TcpEcho echo = new TcpEcho();
        Socks5Client c = new Socks5Client(e.listenerStates().get("main").port())) {
      assertThat(c.greet(0)).isZero();
      c.requestIp(1, InetAddress.getByName("127.0.0.1"), echo.port());
      assertThat(c.reply().rep()).isZero();
      assertThat(e.activeSessionCount()).isEqualTo(1);
      long start = System.nanoTime();
      e.stop(Duration.ofMillis(600));
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isGreaterThanOrEqualTo(Duration.ofMillis(550));
      assertThat(c.closedByServer()).isTrue();
      await().atMost(Duration.ofSeconds(2)).until(() -> e.activeSessionCount() == 0);
    }
  }

  @Test
  void invalidConfigIsRejected() {
    assertThatThrownBy(() -> EngineConfig.builder().handshakeTimeout(Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() ->
            EngineConfig.builder()
                .listener(new ListenerConfig("a", new InetSocketAddress(0), ListenerKind.HTTP))
                .listener(new ListenerConfig("a", new InetSocketAddress(0), ListenerKind.SOCKS))
                .build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(new ListenerConfig("x", new InetSocketAddress(0), ListenerKind.MIXED).authRequired())
        .isTrue();
  }
}
