package io.sluice.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.util.concurrent.DefaultThreadFactory;
import io.sluice.engine.config.EngineConfig;
import io.sluice.engine.config.ListenerConfig;
import io.sluice.engine.config.ListenerKind;
import io.sluice.engine.mux.TunnelRoute;
import io.sluice.engine.spi.Authenticator;
import io.sluice.engine.spi.ConnectionInfo;
import io.sluice.engine.spi.DestinationPolicy;
import io.sluice.engine.spi.EngineEvents;
import io.sluice.engine.spi.ExitSelector;
import io.sluice.engine.spi.ListenerTag;
import io.sluice.engine.support.TestEngine;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ListenerConfigTest {

  private static final InetSocketAddress ANY = new InetSocketAddress("127.0.0.1", 0);

  @Test
  void nameComesFromTheTag() {
    ListenerConfig c =
        ListenerConfig.of(new ListenerTag.Dedicated(10), "127.0.0.1", 0, ListenerKind.MIXED, true);
    assertThat(c.name()).isEqualTo("dedicated-10");
    assertThat(c.tag()).isEqualTo(new ListenerTag.Dedicated(10));
    assertThat(new ListenerConfig(ListenerTag.SOCKS, ANY, ListenerKind.SOCKS).authRequired())
        .isTrue();
  }

  @Test
  void nameBasedConstructorsKeepWorkingAndGetTheParsedTag() {
    assertThat(new ListenerConfig("dedicated-10", ANY, ListenerKind.MIXED, true))
        .isEqualTo(
            new ListenerConfig(new ListenerTag.Dedicated(10), ANY, ListenerKind.MIXED, true));
    assertThat(ListenerConfig.of("tunnel-3", "127.0.0.1", 0, ListenerKind.TUNNEL, false).tag())
        .isEqualTo(new ListenerTag.Tunnel(3));
    ListenerConfig open = new ListenerConfig("open", ANY, ListenerKind.MIXED);
    assertThat(open.tag()).isEqualTo(new ListenerTag.Named("open"));
    assertThat(open.authRequired()).isTrue();
    assertThat(open)
        .hasToString("ListenerConfig[name=open, bind=" + ANY + ", kind=MIXED, authRequired=true]");
    assertThatThrownBy(() -> new ListenerConfig(" ", ANY, ListenerKind.SOCKS))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ListenerConfig((String) null, ANY, ListenerKind.SOCKS))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new ListenerConfig((ListenerTag) null, ANY, ListenerKind.SOCKS))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void acceptedConnectionsCarryTheListenerTag() throws Exception {
    ProxyEngine engine =
        new ProxyEngine(
            EngineConfig.builder().ioThreads(1).preferNativeTransport(TestEngine.NATIVE).build(),
            new DefaultThreadFactory("listener-tag-test", true),
            Authenticator.allowAll(),
            DestinationPolicy.allowAll(),
            ExitSelector.direct(),
            EngineEvents.NONE);
    engine.start();
    try {
      ListenerTag tag = new ListenerTag.Tunnel(42);
      int port =
          engine
              .addListener(ListenerConfig.of(tag, "127.0.0.1", 0, ListenerKind.TUNNEL, false))
              .port();
      assertThat(engine.listenerStates()).containsKey("tunnel-42");
      CompletableFuture<ConnectionInfo> seen = new CompletableFuture<>();
      engine.tunnelRouter(c -> {
        seen.complete(c);
        return new TunnelRoute.Refuse("test");
      });
      try (Socket s = new Socket("127.0.0.1", port)) {
        ConnectionInfo info = seen.get(5, TimeUnit.SECONDS);
        assertThat(info.listenerTag()).isEqualTo(tag);
        assertThat(info.listener()).isEqualTo("tunnel-42");
      }
    } finally {
      engine.stop(Duration.ZERO);
    }
  }
}
