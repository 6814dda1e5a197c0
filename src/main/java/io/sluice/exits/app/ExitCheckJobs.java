package io.sluice.exits.app;

import io.sluice.platform.problem.ApiException;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Checks of many exits as background jobs: {@link #start} picks the exits, stores a running job and
 * returns at once; the checks then run on the managed executor through {@link
 * ExitHealthService#checkEach} (same concurrency bound and per-host rate as the monitor), and their
 * results are written to the job in batches, at least every {@link #FLUSH}. A job whose node stops
 * updating it is failed when read after {@code sluice.exits.check-job-stale-minutes}.
 */
@ApplicationScoped
public class ExitCheckJobs {

  private static final Logger LOG = System.getLogger(ExitCheckJobs.class.getName());

  static final Duration FLUSH = Duration.ofMillis(500);
  static final Duration HEARTBEAT = Duration.ofSeconds(30);
  static final int BATCH = 200;

  @Inject ExitHealthService health;
  @Inject ExitHealthStore store;
  @Inject ExitCheckJobStore jobs;
  @Resource ManagedExecutorService executor;

  @Inject
  @ConfigProperty(name = "sluice.exits.check-job-stale-minutes", defaultValue = "5")
  int staleMinutes;

  final String node = ManagementFactory.getRuntimeMXBean().getName();

  /**
   * Starts a job over the enabled exits matching the filters (400 for a bad state, 503 while the
   * proxy engine is not running) and returns it as first stored.
   */
  public ExitCheckJobStore.JobView start(String pool, String state, String country) {
    if (!health.ready()) {
      throw ApiException.unavailable(
          "exit checks run through the proxy engine, which is not running");
    }
    List<ExitHealthStore.Target> targets = store.targets(pool, state, country);
    long id = jobs.create(node, pool, state, country, targets.size());
    LOG.log(
        Level.INFO,
        "SLUICE0662I: exit check job {0} started for {1} exits",
        new Object[] {id, targets.size()});
    executor.execute(() -> run(id, targets, executor));
    return view(id, false);
  }

  public ExitCheckJobStore.JobView view(long id, boolean withResults) {
    return jobs.view(id, withResults, staleAfter());
  }

  public List<ExitCheckJobStore.JobView> recent() {
    return jobs.recent(staleAfter());
  }

  Duration staleAfter() {
    return Duration.ofMinutes(Math.max(1, staleMinutes));
  }

  /**
   * Runs job {@code id}: checks on {@code checks}, while this thread writes the results as they
   * come and keeps the job alive; then marks it done, or failed if something broke.
   */
  void run(long id, List<ExitHealthStore.Target> targets, Executor checks) {
    LinkedBlockingQueue<ExitHealthService.CheckResult> queue = new LinkedBlockingQueue<>();
    long started = System.nanoTime();
    try {
      CompletableFuture<?> all =
          CompletableFuture.runAsync(() -> health.checkEach(targets, queue::add), checks);
      long lastWrite = System.nanoTime();
      while (!all.isDone() || !queue.isEmpty()) {
        List<ExitHealthService.CheckResult> batch = new ArrayList<>();
        ExitHealthService.CheckResult first = queue.poll(FLUSH.toMillis(), TimeUnit.MILLISECONDS);
        if (first != null) {
          batch.add(first);
          queue.drainTo(batch, BATCH - 1);
          jobs.append(id, batch);
          lastWrite = System.nanoTime();
        } else if (System.nanoTime() - lastWrite > HEARTBEAT.toNanos()) {
          jobs.touch(id);
          lastWrite = System.nanoTime();
        }
      }
      all.join(); // rethrows a failure of the checks
      jobs.finish(id);
      LOG.log(
          Level.INFO,
          "SLUICE0663I: exit check job {0} done: {1} exits in {2} ms",
          new Object[] {id, targets.size(), (System.nanoTime() - started) / 1_000_000});
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail(id, "interrupted (the server is stopping)");
    } catch (RuntimeException e) {
      fail(id, "check job failed: " + e.getMessage());
    }
  }

  private void fail(long id, String reason) {
    LOG.log(
        Level.WARNING, "SLUICE0664W: exit check job {0} failed: {1}", new Object[] {id, reason});
    try {
      jobs.fail(id, reason);
    } catch (RuntimeException e) {
      LOG.log(
          Level.WARNING, "SLUICE0665W: exit check job " + id + " could not be marked failed", e);
    }
  }
}
