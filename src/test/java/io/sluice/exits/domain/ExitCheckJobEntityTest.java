package io.sluice.exits.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ExitCheckJobEntityTest {

  private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

  @Test
  void aJobRunsCountsAndEndsDone() {
    ExitCheckJobEntity j = ExitCheckJobEntity.start("node-a", 5, T0);
    assertThat(j.state).isEqualTo("running");
    assertThat(j.done).isZero();

    j.count(2, 1, T0.plusSeconds(1));
    j.count(1, 1, T0.plusSeconds(2));
    assertThat(j.done).isEqualTo(5);
    assertThat(j.healthy).isEqualTo(3);
    assertThat(j.failing).isEqualTo(2);
    assertThat(j.updatedAt).isEqualTo(T0.plusSeconds(2));

    j.finish(T0.plusSeconds(3));
    assertThat(j.state).isEqualTo("done");
    assertThat(j.finishedAt).isEqualTo(T0.plusSeconds(3));
  }

  @Test
  void anEndedJobNeverMovesAgain() {
    ExitCheckJobEntity j = ExitCheckJobEntity.start("node-a", 5, T0);
    j.fail("x".repeat(600), T0.plusSeconds(1));
    assertThat(j.state).isEqualTo("failed");
    assertThat(j.error).hasSize(500);

    j.count(1, 0, T0.plusSeconds(2));
    j.finish(T0.plusSeconds(3));
    j.touch(T0.plusSeconds(4));
    j.fail("again", T0.plusSeconds(5));
    assertThat(j.state).isEqualTo("failed");
    assertThat(j.done).isZero();
    assertThat(j.updatedAt).isEqualTo(T0.plusSeconds(1));
    assertThat(j.error).startsWith("xxx");
  }

  @Test
  void onlyARunningJobWithoutRecentUpdatesIsStale() {
    ExitCheckJobEntity j = ExitCheckJobEntity.start("node-a", 5, T0);
    Duration limit = Duration.ofMinutes(5);
    assertThat(j.stale(T0.plus(limit), limit)).isFalse();
    assertThat(j.stale(T0.plus(limit).plusMillis(1), limit)).isTrue();

    j.touch(T0.plusSeconds(60));
    assertThat(j.stale(T0.plus(limit).plusMillis(1), limit)).isFalse();

    j.finish(T0.plusSeconds(61));
    assertThat(j.stale(T0.plus(Duration.ofDays(1)), limit)).isFalse();
  }
}
