package io.sluice.exits.app;

import io.sluice.exits.domain.ExitCheckJobEntity;
import io.sluice.exits.domain.ExitCheckJobRepository;
import io.sluice.exits.domain.ExitCheckJobResultEntity;
import io.sluice.platform.problem.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The transactional half of check jobs: the job row and its results in the database, so that every
 * node sees the progress of a job run by any of them. Retention: the newest {@link #KEEP} jobs,
 * none older than {@link #MAX_AGE}.
 */
@ApplicationScoped
public class ExitCheckJobStore {

  public static final int KEEP = 50;
  public static final Duration MAX_AGE = Duration.ofHours(24);

  @Inject ExitCheckJobRepository jobs;
  Clock clock = Clock.systemUTC();

  /** A job as the API shows it; {@code results} is null when not asked for. */
  public record JobView(
      long id,
      String state,
      int total,
      int done,
      int healthy,
      int failing,
      int unhealthy,
      String pool,
      String exitState,
      String country,
      String node,
      String error,
      Instant startedAt,
      Instant updatedAt,
      Instant finishedAt,
      List<ExitHealthService.CheckResult> results) {}

  /** Starts a running job of {@code total} exits and prunes old jobs. */
  @Transactional
  public long create(String node, String pool, String state, String country, int total) {
    Instant now = clock.instant();
    jobs.prune(KEEP - 1, now.minus(MAX_AGE));
    ExitCheckJobEntity j = ExitCheckJobEntity.start(truncate(node, 64), total, now);
    j.pool = pool;
    j.exitState = state;
    j.country = country;
    return jobs.insert(j).id;
  }

  /** Stores a batch of results and counts them (nothing once the job has ended). */
  @Transactional
  public void append(long jobId, List<ExitHealthService.CheckResult> batch) {
    ExitCheckJobEntity j = jobs.find(jobId).orElse(null);
    if (j == null || !j.running()) {
      return; // pruned or given up on (stale) meanwhile
    }
    int healthy = 0;
    for (ExitHealthService.CheckResult r : batch) {
      jobs.addResult(toRow(jobId, r));
      healthy += r.healthy() ? 1 : 0;
    }
    j.count(healthy, batch.size() - healthy, clock.instant());
  }

  @Transactional
  public void touch(long jobId) {
    jobs.find(jobId).ifPresent(j -> j.touch(clock.instant()));
  }

  @Transactional
  public void finish(long jobId) {
    jobs.find(jobId).ifPresent(j -> j.finish(clock.instant()));
  }

  @Transactional
  public void fail(long jobId, String reason) {
    jobs.find(jobId).ifPresent(j -> j.fail(reason, clock.instant()));
  }

  /**
   * One job, with its results so far if {@code withResults}. A running job not updated for longer
   * than {@code staleAfter} (its node died or was stopped) is marked failed here.
   */
  @Transactional
  public JobView view(long id, boolean withResults, Duration staleAfter) {
    ExitCheckJobEntity j =
        jobs.find(id).orElseThrow(() -> ApiException.notFound("exit check job " + id));
    failIfStale(j, staleAfter);
    return toView(
        j,
        withResults ? jobs.results(id).stream().map(ExitCheckJobStore::toResult).toList() : null);
  }

  /** The newest jobs without their results, newest first. */
  @Transactional
  public List<JobView> recent(Duration staleAfter) {
    return jobs.newest(KEEP).stream()
        .map(j -> {
          failIfStale(j, staleAfter);
          return toView(j, null);
        })
        .toList();
  }

  private void failIfStale(ExitCheckJobEntity j, Duration staleAfter) {
    Instant now = clock.instant();
    if (j.stale(now, staleAfter)) {
      j.fail(
          "no progress for more than "
              + staleAfter.toMinutes()
              + " minutes: node "
              + j.node
              + " stopped running it",
          now);
    }
  }

  private static JobView toView(ExitCheckJobEntity j, List<ExitHealthService.CheckResult> results) {
    return new JobView(
        j.id,
        j.state,
        j.total,
        j.done,
        j.healthy,
        j.failing,
        j.failing,
        j.pool,
        j.exitState,
        j.country,
        j.node,
        j.error,
        j.startedAt,
        j.updatedAt,
        j.finishedAt,
        results);
  }

  private static ExitCheckJobResultEntity toRow(long jobId, ExitHealthService.CheckResult r) {
    ExitCheckJobResultEntity row = new ExitCheckJobResultEntity();
    row.jobId = jobId;
    row.exitId = r.exitId();
    row.name = r.name();
    row.port = r.port();
    row.expectedIp = r.expectedIp();
    row.actualIp = truncate(r.actualIp(), 64);
    row.ipMismatch = r.ipMismatch();
    row.healthy = r.healthy();
    row.slow = r.slow();
    row.latencyMs = r.latencyMs();
    row.httpStatus = r.httpStatus();
    row.exitState = r.state();
    row.error = truncate(r.error(), 500);
    return row;
  }

  private static ExitHealthService.CheckResult toResult(ExitCheckJobResultEntity r) {
    return new ExitHealthService.CheckResult(
        r.exitId,
        r.name,
        r.port,
        r.expectedIp,
        r.actualIp,
        r.ipMismatch,
        r.healthy,
        r.latencyMs,
        r.httpStatus,
        r.exitState,
        r.error,
        r.slow);
  }

  private static String truncate(String s, int max) {
    return s == null ? null : s.length() > max ? s.substring(0, max) : s;
  }
}
