package io.sluice.exits.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.sluice.exits.domain.ProbeTarget;
import io.sluice.platform.problem.ApiException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The job state machine on in-memory fakes: runner, store, staleness and retention. */
class ExitCheckJobsTest {

  private static final Duration STALE = Duration.ofMinutes(5);

  private final ExecutorService pool = Executors.newFixedThreadPool(4);
  private InMemoryExitCheckJobRepository repo;
  private ExitCheckJobStore store;
  private ExitCheckJobs jobs;
  private Instant now = Instant.parse("2030-01-01T00:00:00Z");

  /** Checks every target on the pool; even exit ids are healthy, odd ones fail. */
  private final class FakeHealth extends ExitHealthService {
    boolean up = true;
    RuntimeException breakAfterFirst;

    @Override
    public boolean ready() {
      return up;
    }

    @Override
    public List<CheckResult> checkEach(
        List<ExitHealthStore.Target> targets, Consumer<CheckResult> onResult) {
      List<CheckResult> out = new ArrayList<>();
      for (ExitHealthStore.Target t : targets) {
        boolean ok = t.exitId() % 2 == 0;
        CheckResult r =
            new CheckResult(
                t.exitId(),
                t.name(),
                null,
                null,
                ok ? "127.0.0.1" : null,
                false,
                ok,
                7,
                ok ? 200 : 0,
                ok ? "healthy" : "suspect",
                ok ? null : "refused",
                false);
        onResult.accept(r);
        out.add(r);
        if (breakAfterFirst != null) {
          throw breakAfterFirst;
        }
      }
      return out;
    }
  }

  private FakeHealth health;

  @BeforeEach
  void setUp() {
    repo = new InMemoryExitCheckJobRepository();
    store = new ExitCheckJobStore();
    store.jobs = repo;
    store.clock = clock();
    health = new FakeHealth();
    jobs = new ExitCheckJobs();
    jobs.jobs = store;
    jobs.health = health;
    jobs.staleMinutes = 5;
  }

  @AfterEach
  void tearDown() {
    pool.shutdownNow();
  }

  private Clock clock() {
    return new Clock() {
      @Override
      public Instant instant() {
        return now;
      }

      @Override
      public java.time.ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        return this;
      }
    };
  }

  private static List<ExitHealthStore.Target> targets(int n) {
    return LongStream.rangeClosed(1, n)
        .mapToObj(i ->
            new ExitHealthStore.Target(
                i,
                "x" + i,
                null,
                null,
                null,
                new ProbeTarget("direct", null, 0, null, null, null),
                null))
        .toList();
  }

  @Test
  void aJobCountsEveryResultAndEndsDone() {
    long id = store.create("node-a", "p", null, null, 1000);
    assertThat(jobs.view(id, true).state()).isEqualTo("running");

    jobs.run(id, targets(1000), pool);

    ExitCheckJobStore.JobView v = jobs.view(id, true);
    assertThat(v.state()).isEqualTo("done");
    assertThat(v.total()).isEqualTo(1000);
    assertThat(v.done()).isEqualTo(1000);
    assertThat(v.healthy()).isEqualTo(500);
    assertThat(v.failing()).isEqualTo(500).isEqualTo(v.unhealthy());
    assertThat(v.results()).hasSize(1000);
    assertThat(v.results().stream().filter(ExitHealthService.CheckResult::healthy)).hasSize(500);
    assertThat(v.finishedAt()).isNotNull();
    assertThat(v.pool()).isEqualTo("p");
    assertThat(jobs.view(id, false).results()).isNull();
  }

  @Test
  void anEmptyJobIsDoneAtOnce() {
    long id = store.create("node-a", null, null, null, 0);
    jobs.run(id, List.of(), pool);
    assertThat(jobs.view(id, true).state()).isEqualTo("done");
    assertThat(jobs.view(id, true).results()).isEmpty();
  }

  @Test
  void aBrokenRunFailsTheJobAndKeepsWhatWasCounted() {
    health.breakAfterFirst = new IllegalStateException("boom");
    long id = store.create("node-a", null, null, null, 3);

    jobs.run(id, targets(3), pool);

    ExitCheckJobStore.JobView v = jobs.view(id, true);
    assertThat(v.state()).isEqualTo("failed");
    assertThat(v.error()).contains("boom");
    assertThat(v.done()).isEqualTo(1);
  }

  @Test
  void aRunningJobWithoutUpdatesFailsOnReadAndLateResultsAreIgnored() {
    long id = store.create("node-b", null, null, null, 10);
    now = now.plus(STALE);
    assertThat(jobs.view(id, false).state()).isEqualTo("running");

    now = now.plusSeconds(1);
    ExitCheckJobStore.JobView v = jobs.view(id, false);
    assertThat(v.state()).isEqualTo("failed");
    assertThat(v.error()).contains("node-b");
    assertThat(jobs.recent())
        .extracting(ExitCheckJobStore.JobView::state)
        .containsExactly("failed");

    jobs.run(id, targets(2), pool); // the node was only slow: its results no longer count
    assertThat(jobs.view(id, true).done()).isZero();
    assertThat(jobs.view(id, true).state()).isEqualTo("failed");
  }

  @Test
  void keepsTheNewestFiftyJobsAndNoneOlderThanADay() {
    long first = store.create("n", null, null, null, 1);
    now = now.plusSeconds(1);
    for (int i = 0; i < 55; i++) {
      store.create("n", null, null, null, 1);
      now = now.plusSeconds(1);
    }
    assertThat(repo.jobs).hasSize(50);
    assertThat(catchThrowableOfType(ApiException.class, () -> jobs.view(first, false)).status())
        .isEqualTo(404);

    now = now.plus(Duration.ofHours(25));
    long fresh = store.create("n", null, null, null, 1);
    assertThat(repo.jobs.keySet()).containsExactly(fresh);
  }

  @Test
  void noJobWhileTheEngineIsDown() {
    health.up = false;
    assertThat(
            catchThrowableOfType(ApiException.class, () -> jobs.start(null, null, null)).status())
        .isEqualTo(503);
    assertThat(repo.jobs).isEmpty();
  }
}
