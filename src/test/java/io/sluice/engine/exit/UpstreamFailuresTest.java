package io.sluice.engine.exit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.engine.http.HttpReplies;
import io.sluice.engine.socks5.Socks5Replies;
import io.sluice.engine.spi.Destination;
import io.sluice.engine.spi.ExitRoute;
import io.sluice.engine.spi.ExitSelector;
import io.sluice.engine.spi.ProxyPrincipal;
import io.sluice.engine.support.RawHttp;
import io.sluice.engine.support.Socks5Client;
import io.sluice.engine.support.TestEngine;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Failure classification of upstream exits, timeouts of silent upstreams, SPI defaults. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class UpstreamFailuresTest {

  @Test
  void upstreamRepAndStatusMapping() {
    assertThat(Socks5UpstreamConnector.kindOfRep(2)).isEqualTo(FailureKind.DENIED);
    assertThat(Socks5UpstreamConnector.kindOfRep(3)).isEqualTo(FailureKind.NETWORK_UNREACHABLE);
    assertThat(Socks5UpstreamConnector.kindOfRep(4)).isEqualTo(FailureKind.HOST_UNREACHABLE);
    assertThat(Socks5UpstreamConnector.kindOfRep(5)).isEqualTo(FailureKind.REFUSED);
    assertThat(Socks5UpstreamConnector.kindOfRep(6)).isEqualTo(FailureKind.TIMEOUT);
    assertThat(Socks5UpstreamConnector.kindOfRep(1)).isEqualTo(FailureKind.GENERAL);
    assertThat(Socks5UpstreamConnector.kindOfRep(8)).isEqualTo(FailureKind.GENERAL);
    assertThat(HttpUpstreamConnector.kindOfStatus(407)).isEqualTo(FailureKind.EXIT_AUTH);
    assertThat(HttpUpstreamConnector.kindOfStatus(403)).isEqualTo(FailureKind.DENIED);
    assertThat(HttpUpstreamConnector.kindOfStatus(502)).isEqualTo(FailureKind.HOST_UNREACHABLE);
    assertThat(HttpUpstreamConnector.kindOfStatus(503)).isEqualTo(FailureKind.HOST_UNREACHABLE);
    assertThat(HttpUpstreamConnector.kindOfStatus(504)).isEqualTo(FailureKind.TIMEOUT);
    assertThat(HttpUpstreamConnector.kindOfStatus(500)).isEqualTo(FailureKind.GENERAL);
    for (FailureKind k :
        List.of(FailureKind.EXIT_UNREACHABLE, FailureKind.EXIT_AUTH, FailureKind.NO_EXIT)) {
      assertThat(Socks5Replies.repFor(k)).isEqualTo(1);
    }
    assertThat(HttpReplies.statusFor(FailureKind.EXIT_UNREACHABLE).code()).isEqualTo(502);
    assertThat(HttpReplies.statusFor(FailureKind.EXIT_AUTH).code()).isEqualTo(502);
    assertThat(HttpReplies.statusFor(FailureKind.NO_EXIT).code()).isEqualTo(503);
    assertThat(
            FailureKind.ofConnectError(
                new RuntimeException(
                    new ExitFailureException(
                        FailureKind.EXIT_AUTH, "x", new java.net.ConnectException("refused")))))
        .isEqualTo(FailureKind.EXIT_AUTH);
    assertThat(HttpUpstreamConnector.authority(new Destination("::1", 443))).isEqualTo("[::1]:443");
    assertThat(HttpUpstreamConnector.authority(new Destination("example.org", 80)))
        .isEqualTo("example.org:80");
  }

  @Test
  void routeValidationAndDefaultSelectHonoursExclusions() {
    assertThatThrownBy(() -> new ExitRoute.Socks5Upstream("x", "h", 0, null, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ExitRoute.HttpUpstream("x", "h", 1, null, "pw"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("pw");
    assertThatThrownBy(() -> new ExitRoute.Socks5Upstream(" ", "h", 1, null, null))
        .isInstanceOf(IllegalArgumentException.class);
    ExitSelector legacy = (p, c, d) -> ExitRoute.direct();
    Destination d = new Destination("example.org", 80);
    assertThat(legacy.select(ProxyPrincipal.anonymous(), null, d, Set.of()))
        .isEqualTo(ExitRoute.direct());
    assertThat(legacy.select(ProxyPrincipal.anonymous(), null, d, Set.of("direct"))).isNull();
  }

  @Test
  void silentUpstreamsTimeOut() throws IOException {
    List<String> reports = new CopyOnWriteArrayList<>();
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      ExitRoute[] route = new ExitRoute[1];
      ExitSelector selector =
          new ExitSelector() {
            @Override
            public ExitRoute select(
                ProxyPrincipal p, io.sluice.engine.spi.ConnectionInfo c, Destination dest) {
              return route[0];
            }

            @Override
            public void report(ExitRoute r, boolean success, long nanos) {
              reports.add(r.id() + ":" + success);
            }
          };
      try (TestEngine t = new TestEngine(b -> b.connectTimeout(Duration.ofMillis(300)), selector)) {
        // SOCKS5 upstream that never answers the greeting: the exit is unreachable (REP X'01')
        route[0] =
            new ExitRoute.Socks5Upstream(
                "silent-s5", "127.0.0.1", silent.getLocalPort(), null, null);
        try (Socks5Client c = new Socks5Client(t.port("socks")).authenticated("alice", "secret")) {
          c.requestDomain(1, "localhost", 9);
          assertThat(c.reply().rep()).isEqualTo(1);
        }
        assertThat(t.events.connects).contains("socks5-connect:exit_unreachable");
        // HTTP upstream that never answers the CONNECT: a timeout (HTTP 504)
        route[0] =
            new ExitRoute.HttpUpstream(
                "silent-http", "127.0.0.1", silent.getLocalPort(), null, null);
        try (RawHttp h = new RawHttp(t.port("http"))) {
          h.send(
              "CONNECT localhost:9 HTTP/1.1\r\nHost: x\r\nProxy-Authorization: "
                  + RawHttp.basic("alice", "secret")
                  + "\r\n\r\n");
          assertThat(h.read(true).status()).isEqualTo(504);
        }
      }
    }
    assertThat(reports).containsExactly("silent-s5:false", "silent-http:false");
  }
}
