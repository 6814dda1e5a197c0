package io.sluice.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What the proxy reads per connection comes from a field, never from the (database) source. */
class RefreshedTest {

  private final AtomicInteger sourceCalls = new AtomicInteger();
  private volatile String stored = "10.0.0.0/8";
  private volatile boolean failing;

  private String source() {
    sourceCalls.incrementAndGet();
    if (failing) {
      throw new IllegalStateException("database down");
    }
    return stored;
  }

  @Test
  void connectionsReadTheFieldAndOnlyARefreshAsksTheSource() {
    Refreshed<String> list = new Refreshed<>("list", this::source, "");

    for (int i = 0; i < 10_000; i++) {
      assertThat(list.get()).isEmpty();
    }
    assertThat(sourceCalls.get()).isZero();

    list.refresh();
    for (int i = 0; i < 10_000; i++) {
      assertThat(list.get()).isEqualTo("10.0.0.0/8");
    }
    assertThat(sourceCalls.get()).isEqualTo(1);
  }

  @Test
  void aChangeAppliesWithTheNextRefresh() {
    Refreshed<String> list = new Refreshed<>("list", this::source, "");
    list.refresh();

    stored = "192.0.2.0/24";
    assertThat(list.get()).isEqualTo("10.0.0.0/8");
    list.refresh();

    assertThat(list.get()).isEqualTo("192.0.2.0/24");
  }

  @Test
  void aFailingSourceKeepsTheLastValue() {
    Refreshed<String> list = new Refreshed<>("list", this::source, "");
    list.refresh();

    failing = true;
    list.refresh();

    assertThat(list.get()).isEqualTo("10.0.0.0/8");
    assertThat(sourceCalls.get()).isEqualTo(2);
  }

  @Test
  void aNullFromTheSourceKeepsTheLastValue() {
    Refreshed<String> list = new Refreshed<>("list", () -> null, "initial");

    list.refresh();

    assertThat(list.get()).isEqualTo("initial");
  }
}
