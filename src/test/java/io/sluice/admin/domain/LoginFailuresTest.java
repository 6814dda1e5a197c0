package io.sluice.admin.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LoginFailuresTest {

  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  private static final Duration WINDOW = Duration.ofMinutes(15);

  @Test
  void countsWithinTheWindowAndLocksAtTheLimit() {
    LoginFailures first = LoginFailures.next(null, T0, WINDOW, 3);
    LoginFailures second = LoginFailures.next(first, T0.plusSeconds(60), WINDOW, 3);
    LoginFailures third = LoginFailures.next(second, T0.plusSeconds(120), WINDOW, 3);

    assertThat(first).isEqualTo(new LoginFailures(1, T0, null));
    assertThat(second).isEqualTo(new LoginFailures(2, T0, null));
    assertThat(third).isEqualTo(new LoginFailures(3, T0, T0.plusSeconds(120).plus(WINDOW)));
  }

  @Test
  void aFailureAfterTheWindowStartsCountingAgain() {
    LoginFailures old = new LoginFailures(2, T0, null);
    Instant later = T0.plus(WINDOW).plusSeconds(1);

    assertThat(LoginFailures.next(old, later, WINDOW, 3))
        .isEqualTo(new LoginFailures(1, later, null));
  }

  @Test
  void aLimitOfOneLocksAtTheFirstFailure() {
    assertThat(LoginFailures.next(null, T0, WINDOW, 1).lockedUntil()).isEqualTo(T0.plus(WINDOW));
  }
}
