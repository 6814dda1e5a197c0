package io.sluice.exits.domain.selection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StrategyTest {

  @Test
  void acceptsTheSixKebabCaseNames() {
    assertThat(Strategy.fromName("sticky")).isEqualTo(Strategy.STICKY);
    assertThat(Strategy.fromName("round-robin")).isEqualTo(Strategy.ROUND_ROBIN);
    assertThat(Strategy.fromName("random")).isEqualTo(Strategy.RANDOM);
    assertThat(Strategy.fromName("least-connections")).isEqualTo(Strategy.LEAST_CONNECTIONS);
    assertThat(Strategy.fromName("least-latency")).isEqualTo(Strategy.LEAST_LATENCY);
    assertThat(Strategy.fromName("hash-destination")).isEqualTo(Strategy.HASH_DESTINATION);
    assertThat(Strategy.fromName(" Round-Robin ")).isEqualTo(Strategy.ROUND_ROBIN);
  }

  @Test
  void externalNameRoundTrips() {
    for (Strategy s : Strategy.values()) {
      assertThat(Strategy.fromName(s.externalName())).isSameAs(s);
      assertThat(s.toString()).isEqualTo(s.externalName());
    }
  }

  @Test
  void unknownNamesAreRefusedWithTheValidList() {
    for (String bad : new String[] {"round_robin", "ROUND_ROBIN", "roundrobin", "", "least"}) {
      assertThatThrownBy(() -> Strategy.fromName(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'" + bad + "'")
          .hasMessageContaining(
              "sticky, round-robin, random, least-connections, least-latency, hash-destination");
    }
    assertThatThrownBy(() -> Strategy.fromName(null)).isInstanceOf(IllegalArgumentException.class);
  }
}
