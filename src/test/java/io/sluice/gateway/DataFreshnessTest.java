package io.sluice.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.CachingAuthenticatorStaleTest.MovableClock;
import io.sluice.gateway.DataFreshness.Attempt;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fresh / stale / expired state and the retry pacing, with a clock the test moves. */
class DataFreshnessTest {

  private static final Duration STALE_MAX = Duration.ofSeconds(900);
  private static final Duration RETRY = Duration.ofSeconds(2);

  private final MovableClock clock = new MovableClock(Instant.parse("2026-12-05T12:00:00Z"));
  private final DataFreshness freshness = new DataFreshness(clock, STALE_MAX, RETRY);

  /** Records logged under the authenticator's name (System.Logger is java.util.logging here). */
  private final Logger logger = Logger.getLogger(CachingAuthenticator.class.getName());

  private final List<String> logged = new CopyOnWriteArrayList<>();
  private final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord r) {
          logged.add(new java.util.logging.SimpleFormatter().formatMessage(r));
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @BeforeEach
  void listen() {
    capture.setLevel(Level.ALL);
    logger.addHandler(capture);
  }

  @AfterEach
  void stopListening() {
    logger.removeHandler(capture);
  }

  @Test
  void staleSecondsCountFromTheFirstFailureOfAnOutage() {
    assertThat(freshness.state()).isEqualTo("fresh");
    assertThat(freshness.isStale()).isFalse();
    assertThat(freshness.staleSeconds()).isZero();

    freshness.markStale(new IllegalStateException("down"));
    clock.advance(Duration.ofSeconds(10));
    freshness.markStale(new IllegalStateException("still down")); // does not restart the count
    clock.advance(Duration.ofSeconds(5));

    assertThat(freshness.isStale()).isTrue();
    assertThat(freshness.state()).isEqualTo("stale");
    assertThat(freshness.staleSeconds()).isEqualTo(15);

    freshness.markFresh();
    assertThat(freshness.state()).isEqualTo("fresh");
    assertThat(freshness.staleSeconds()).isZero();
  }

  @Test
  void expiredOnlyOnceTheOutageIsLongerThanStaleMax() {
    Instant start = clock.instant();
    assertThat(freshness.expired(start.plus(Duration.ofDays(1)))).as("never while fresh").isFalse();
    freshness.markStale(new IllegalStateException("down"));

    assertThat(freshness.expired(start.plus(STALE_MAX))).isFalse();
    clock.advance(STALE_MAX);
    assertThat(freshness.state()).isEqualTo("stale");

    assertThat(freshness.expired(start.plus(STALE_MAX).plusMillis(1))).isTrue();
    clock.advance(Duration.ofMillis(1));
    assertThat(freshness.state()).isEqualTo("expired");
    assertThat(freshness.expiredRefusing(clock.instant())).isTrue();
  }

  @Test
  void whileStaleOneProbePerRetryIntervalReachesTheDatabase() {
    Instant t0 = clock.instant();
    assertThat(freshness.begin(t0)).isEqualTo(Attempt.LOAD);
    assertThat(freshness.begin(t0)).as("fresh: every load goes").isEqualTo(Attempt.LOAD);

    freshness.markStale(new IllegalStateException("down"));
    assertThat(freshness.begin(t0.plus(RETRY).minusMillis(1))).isEqualTo(Attempt.FROM_MEMORY);

    Instant t1 = t0.plus(RETRY);
    assertThat(freshness.begin(t1)).isEqualTo(Attempt.PROBE);
    assertThat(freshness.begin(t1.plus(RETRY)))
        .as("a probe is still running")
        .isEqualTo(Attempt.FROM_MEMORY);

    freshness.probeDone();
    assertThat(freshness.begin(t1.plus(RETRY).minusMillis(1)))
        .as("paced from the last probe")
        .isEqualTo(Attempt.FROM_MEMORY);
    assertThat(freshness.begin(t1.plus(RETRY))).isEqualTo(Attempt.PROBE);

    freshness.markFresh();
    assertThat(freshness.begin(t1.plus(RETRY))).isEqualTo(Attempt.LOAD);
  }

  @Test
  void theSourceListRetryIsPacedByTheLastAttempt() {
    Instant t0 = clock.instant();
    freshness.attempted(t0);
    assertThat(freshness.retryNotDue(t0)).as("fresh: always due").isFalse();

    freshness.markStale(new IllegalStateException("down"));
    assertThat(freshness.retryNotDue(t0.plus(RETRY).minusMillis(1))).isTrue();
    assertThat(freshness.retryNotDue(t0.plus(RETRY))).isFalse();

    freshness.attempted(t0.plus(RETRY));
    assertThat(freshness.retryNotDue(t0.plus(RETRY))).isTrue();
    assertThat(freshness.begin(t0.plus(RETRY).plusMillis(1)))
        .as("one clock for both kinds of load")
        .isEqualTo(Attempt.FROM_MEMORY);
  }

  @Test
  void oneLogLinePerStateChangeAndOneExpiryLinePerOutage() {
    freshness.markFresh(); // already fresh: nothing
    freshness.markStale(new RuntimeException("wrapper", new IllegalStateException("refused")));
    freshness.markStale(new IllegalStateException("again"));
    clock.advance(STALE_MAX.plusSeconds(1));
    assertThat(freshness.expiredRefusing(clock.instant())).isTrue();
    assertThat(freshness.expiredRefusing(clock.instant())).isTrue();
    freshness.markFresh();
    assertThat(freshness.expiredRefusing(clock.instant())).isFalse();

    assertThat(logged)
        .containsExactly(
            "SLUICE0703W: the database does not answer (IllegalStateException: refused): proxy"
                + " authentication serves the last known accounts for up to 900 s",
            "SLUICE0705E: the database has not answered for more than 900 s: new proxy sessions"
                + " are refused until it does",
            "SLUICE0704I: the database answers again: proxy authentication is fresh after 901 s of"
                + " serving the last known accounts");

    logged.clear();
    freshness.markStale(new IllegalStateException("down again"));
    clock.advance(STALE_MAX.plusSeconds(1));
    freshness.expiredRefusing(clock.instant());
    assertThat(logged).as("a new outage logs its expiry again").hasSize(2);
    assertThat(logged.get(1)).startsWith("SLUICE0705E");
  }

  @Test
  void theRootMessageNamesTheInnermostCause() {
    Exception inner = new java.net.ConnectException("Connection refused");
    assertThat(DataFreshness.rootMessage(new RuntimeException(new IllegalStateException(inner))))
        .isEqualTo("ConnectException: Connection refused");
    assertThat(DataFreshness.rootMessage(new IllegalStateException("plain")))
        .isEqualTo("IllegalStateException: plain");
  }
}
