package io.sluice.exits.domain.selection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class UsernameRoutingTest {

  @Test
  void parsesTheDocumentedExample() {
    var p = UsernameRouting.parse("alice-pool-residential-country-DE-session-a1B2-ttl-30");
    assertThat(p.username()).isEqualTo("alice");
    assertThat(p.routing()).isEqualTo(
        Map.of("pool", "residential", "country", "de", "session", "a1B2", "ttl", "30"));
  }

  @Test
  void plainUsernameHasNoRouting() {
    assertThat(UsernameRouting.parse("bob").routing()).isEmpty();
  }

  @Test
  void rejectsEverythingOffGrammar() {
    for (String bad : new String[] {"", "-pool-x", "a-pool", "a-colour-red", "a-pool-x-pool-y", "a-country-deu",
        "a-ttl-0", "a-ttl-1441", "a-session-", "a-pool-Has Space"}) {
      assertThatThrownBy(() -> UsernameRouting.parse(bad)).as(bad).isInstanceOf(UsernameRouting.InvalidRouting.class);
    }
  }
}
