package io.sluice.engine.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.engine.spi.PolicyDecision;
import io.sluice.engine.spi.ProxyPrincipal;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Table tests of {@link HostNames#isAmbiguousIpv4Literal} and its use by the gate. */
class AmbiguousIpv4Test {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "0177.0.0.1",
        "0x7f.1",
        "127.1",
        "127.0.1",
        "2130706433",
        "0x7f000001",
        "0X7F000001",
        "127.0.0.0x1",
        "010.1.1.1",
        "1.2.3.04",
        "00.0.0.0",
        "0",
        "0x",
        "256.1.1.1",
        "1.2.3.4.5",
        "1.2.3.4.",
        "127.0.0.1.",
        "example.123",
        "example.0x1f",
        "[::ffff:0177.0.0.1]",
        "::ffff:127.1",
        "1111111111111111111111"
      })
  void ambiguous(String host) {
    assertThat(HostNames.isAmbiguousIpv4Literal(host)).as(host).isTrue();
    assertThat(DestinationGate.parseLiteral(host)).as(host).isNull();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "127.0.0.1",
        "0.0.0.0",
        "255.255.255.255",
        "10.0.0.1",
        "192.0.2.100",
        "localhost",
        "example.com",
        "1.2.3.example",
        "0x7f.example",
        "123.abc",
        "a1",
        "0xg",
        "::1",
        "[::1]",
        "::ffff:127.0.0.1",
        "[2001:db8::1]",
        "fe80::1%eth0"
      })
  void notAmbiguous(String host) {
    assertThat(HostNames.isAmbiguousIpv4Literal(host)).as(host).isFalse();
  }

  @Test
  void nullAndEmptyAreNotAmbiguous() {
    assertThat(HostNames.isAmbiguousIpv4Literal(null)).isFalse();
    assertThat(HostNames.isAmbiguousIpv4Literal("")).isFalse();
  }

  @Test
  void canonicalQuads() {
    assertThat(HostNames.isCanonicalIpv4("127.0.0.1")).isTrue();
    assertThat(HostNames.isCanonicalIpv4("1.2.3")).isFalse();
    assertThat(HostNames.isCanonicalIpv4("1.2.3.4.5")).isFalse();
    assertThat(HostNames.isCanonicalIpv4("1.2.3.")).isFalse();
    assertThat(HostNames.isCanonicalIpv4("1..3.4")).isFalse();
    assertThat(HostNames.isCanonicalIpv4("1.2.3.1000")).isFalse();
    assertThat(HostNames.isCanonicalIpv4("01.2.3.4")).isFalse();
  }

  @Test
  void theGateRefusesWithoutLookingUpAndCanonicalQuadsStillReachThePolicy() throws Exception {
    AtomicInteger lookups = new AtomicInteger();
    AtomicInteger checks = new AtomicInteger();
    HostResolver resolver =
        host -> {
          lookups.incrementAndGet();
          return CompletableFuture.completedFuture(List.of(InetAddress.getLoopbackAddress()));
        };
    DestinationGate gate =
        new DestinationGate(
            resolver,
            (p, a, port) -> {
              checks.incrementAndGet();
              return PolicyDecision.deny("loopback");
            });
    ProxyPrincipal anon = ProxyPrincipal.anonymous();
    for (String host : List.of("0177.0.0.1", "127.1", "0x7f000001", "2130706433")) {
      assertThat(gate.admit(anon, host, 80).toCompletableFuture().get())
          .isEqualTo(new GateResult.Refused(DestinationGate.AMBIGUOUS_IPV4));
      assertThatThrownBy(() -> gate.resolve(host).toCompletableFuture().get())
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(UnknownHostException.class)
          .hasMessageContaining(DestinationGate.AMBIGUOUS_IPV4);
    }
    assertThat(lookups).hasValue(0);
    assertThat(checks).hasValue(0);
    GateResult canonical = gate.admit(anon, "127.0.0.1", 80).toCompletableFuture().get();
    assertThat(canonical).isInstanceOf(GateResult.Denied.class);
    assertThat(((GateResult.Denied) canonical).reason()).isEqualTo("loopback");
    assertThat(checks).hasValue(1);
    assertThat(lookups).hasValue(0);
  }
}
