package io.sluice.engine.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ConnectTimeoutException;
import io.sluice.engine.exit.FailureKind;
import io.sluice.engine.socks5.Socks5Replies;
import io.sluice.engine.spi.PolicyDecision;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.NoRouteToHostException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class NamesAndFailuresTest {

  @Test
  void hostNames() {
    assertThat(HostNames.isValid("localhost")).isTrue();
    assertThat(HostNames.isValid("a-b.example.com.")).isTrue();
    assertThat(HostNames.isValid("")).isFalse();
    assertThat(HostNames.isValid(".")).isFalse();
    assertThat(HostNames.isValid("a..b")).isFalse();
    assertThat(HostNames.isValid("a b")).isFalse();
    assertThat(HostNames.isValid("a\u0000b")).isFalse();
    assertThat(HostNames.isValid("x".repeat(64) + ".com")).isFalse();
  }

  @Test
  void literalsAreNeverResolvedAndEveryAddressIsChecked() throws Exception {
    AtomicInteger lookups = new AtomicInteger();
    InetAddress a1 = InetAddress.getByName("192.0.2.1");
    InetAddress a2 = InetAddress.getByName("192.0.2.2");
    HostResolver resolver =
        host -> {
          lookups.incrementAndGet();
          return CompletableFuture.completedFuture(List.of(a1, a2));
        };
    DestinationGate gate =
        new DestinationGate(
            resolver,
            (p, a, port) ->
                a.equals(a2) ? PolicyDecision.deny("second") : PolicyDecision.allow("ok"));
    var literal =
        gate.admit(io.sluice.engine.spi.ProxyPrincipal.anonymous(), "[::1]", 80)
            .toCompletableFuture()
            .get();
    assertThat(literal).isInstanceOf(GateResult.Allowed.class);
    assertThat(lookups).hasValue(0);
    var named =
        gate.admit(io.sluice.engine.spi.ProxyPrincipal.anonymous(), "example.test", 80)
            .toCompletableFuture()
            .get();
    assertThat(named).isEqualTo(new GateResult.Denied(a2, "second"));
    assertThat(lookups).hasValue(1);
    var invalid =
        gate.admit(io.sluice.engine.spi.ProxyPrincipal.anonymous(), "bad name", 80)
            .toCompletableFuture()
            .get();
    assertThat(invalid).isInstanceOf(GateResult.Unresolvable.class);
    assertThat(lookups).hasValue(1);
  }

  @Test
  void connectFailureKindsAndSocksReplies() {
    assertThat(FailureKind.ofConnectError(new ConnectTimeoutException("x")))
        .isEqualTo(FailureKind.TIMEOUT);
    assertThat(FailureKind.ofConnectError(new ConnectException("Connection refused")))
        .isEqualTo(FailureKind.REFUSED);
    assertThat(FailureKind.ofConnectError(new ConnectException("Network is unreachable")))
        .isEqualTo(FailureKind.NETWORK_UNREACHABLE);
    assertThat(FailureKind.ofConnectError(new NoRouteToHostException()))
        .isEqualTo(FailureKind.HOST_UNREACHABLE);
    assertThat(FailureKind.ofConnectError(new RuntimeException(new ConnectException("refused"))))
        .isEqualTo(FailureKind.REFUSED);
    assertThat(FailureKind.ofConnectError(new IllegalStateException()))
        .isEqualTo(FailureKind.GENERAL);
    assertThat(Socks5Replies.repFor(FailureKind.DENIED)).isEqualTo(2);
    assertThat(Socks5Replies.repFor(FailureKind.LIMIT)).isEqualTo(2);
    assertThat(Socks5Replies.repFor(FailureKind.NETWORK_UNREACHABLE)).isEqualTo(3);
    assertThat(Socks5Replies.repFor(FailureKind.TIMEOUT)).isEqualTo(4);
    assertThat(Socks5Replies.repFor(FailureKind.REFUSED)).isEqualTo(5);
    assertThat(Socks5Replies.repFor(FailureKind.GENERAL)).isEqualTo(1);
  }
}
