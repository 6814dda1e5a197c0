package io.sluice.exits.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.engine.spi.Routing;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class UsernameRoutingTest {

  @Test
  void parsesTheDocumentedExample() {
    var p = UsernameRouting.parse("alice-pool-residential-country-DE-session-a1B2-ttl-30");
    assertThat(p.username()).isEqualTo("alice");
    assertThat(p.routing())
        .isEqualTo(new Routing("residential", "de", "a1B2", Duration.ofMinutes(30)));
    assertThat(p.routing().names()).containsExactly("pool", "country", "session", "ttl");
  }

  @Test
  void plainUsernameHasNoRouting() {
    assertThat(UsernameRouting.parse("bob").routing()).isEqualTo(Routing.NONE);
    assertThat(UsernameRouting.parse("bob").routing().isEmpty()).isTrue();
    assertThat(UsernameRouting.parse("bob-session-x").routing())
        .isEqualTo(new Routing(null, null, "x", null));
  }

  @Test
  void rejectsEverythingOffGrammar() {
    for (String bad :
        new String[] {
          "",
          "-pool-x",
          "a-pool",
          "a-colour-red",
          "a-pool-x-pool-y",
          "a-country-deu",
          "a-ttl-0",
          "a-ttl-1441",
          "a-session-",
          "a-pool-Has Space"
        }) {
      assertThatThrownBy(() -> UsernameRouting.parse(bad))
          .as(bad)
          .isInstanceOf(UsernameRouting.InvalidRouting.class);
    }
  }
}
