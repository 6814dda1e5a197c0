package io.sluice.exits.domain.selection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ExitView, SelectionRequest and PoolSnapshot invariants. */
class ValuesTest {

  @Test
  void exitStatesSelectable() {
    assertThat(ExitState.HEALTHY.selectable()).isTrue();
    assertThat(ExitState.SUSPECT.selectable()).isTrue();
    assertThat(ExitState.UNHEALTHY.selectable()).isFalse();
    assertThat(ExitState.DISABLED.selectable()).isFalse();
  }

  @Test
  void exitViewValidatesKindCountryAndLatency() {
    assertThat(new ExitView(1, "direct", "DE", ExitState.HEALTHY, 5L).country()).isEqualTo("de");
    assertThat(new ExitView(1, "http", null, ExitState.HEALTHY, null).country()).isNull();
    // kind tor: a node of the Tor fleet (an upstream SOCKS5 on loopback)
    assertThat(new ExitView(1, "tor", "de", ExitState.HEALTHY, null).kind()).isEqualTo("tor");
    assertThatThrownBy(() -> new ExitView(1, "ssh", null, ExitState.HEALTHY, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("direct, socks5, http, tor");
    assertThatThrownBy(() -> new ExitView(1, "direct", "deu", ExitState.HEALTHY, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ExitView(1, "direct", "d1", ExitState.HEALTHY, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ExitView(1, "direct", null, ExitState.HEALTHY, -1L))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ExitView(1, "direct", null, null, null))
        .isInstanceOf(NullPointerException.class);
    ExitView e = new ExitView(3, "socks5", "fr", ExitState.HEALTHY, 10L);
    assertThat(e.withState(ExitState.UNHEALTHY))
        .isEqualTo(new ExitView(3, "socks5", "fr", ExitState.UNHEALTHY, 10L));
    assertThat(e.withLatency(null).latencyMillis()).isNull();
  }

  @Test
  void requestDefaultsAndNormalises() {
    var r = new SelectionRequest(1L, "s1", null, "NL", "h", 80, null);
    assertThat(r.sessionTtl())
        .isEqualTo(SelectionRequest.DEFAULT_SESSION_TTL)
        .isEqualTo(Duration.ofMinutes(30));
    assertThat(r.country()).isEqualTo("nl");
    assertThat(r.excludedExitIds()).isEmpty();
    assertThat(new SelectionRequest(1L, "", null, null, "h", 80, null).sessionKey()).isNull();
    assertThatThrownBy(() -> new SelectionRequest(1L, "s", Duration.ZERO, null, "h", 80, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SelectionRequest(1L, null, null, null, "h", 65536, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SelectionRequest(1L, null, null, null, null, 80, null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void excludingAddsOneExit() {
    var r = SelectionRequest.of(1L, "h", 80).excluding(5).excluding(6).excluding(5);
    assertThat(r.excludedExitIds()).containsExactlyInAnyOrder(5L, 6L);
    assertThat(r.userId()).isEqualTo(1L);
    assertThat(r.destinationHost()).isEqualTo("h");
  }

  @Test
  void poolSortsMembersAndRefusesDuplicates() {
    var p =
        new PoolSnapshot(
            "p",
            Strategy.RANDOM,
            " ",
            List.of(Fixtures.exit(3), Fixtures.exit(1), Fixtures.exit(2)));
    assertThat(p.members()).extracting(ExitView::id).containsExactly(1L, 2L, 3L);
    assertThat(p.fallbackPool()).isNull();
    assertThatThrownBy(() ->
            PoolSnapshot.of("p", Strategy.RANDOM, List.of(Fixtures.exit(1), Fixtures.exit(1))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("twice");
    assertThatThrownBy(() -> PoolSnapshot.of(" ", Strategy.RANDOM, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() ->
            Fixtures.directory(
                PoolSnapshot.of("a", Strategy.RANDOM, List.of()),
                PoolSnapshot.of("a", Strategy.STICKY, List.of())))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
