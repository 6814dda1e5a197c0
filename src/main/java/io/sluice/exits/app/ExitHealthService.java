package io.sluice.exits.app;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.sluice.exits.domain.ExitProber;
import io.sluice.exits.domain.ExitsChanged;
import io.sluice.exits.domain.ProbeResult;
import io.sluice.platform.problem.ApiException;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.Timer;

/**
 * Health checks through each exit: fetch an IP-echo URL through the exit, record reachability,
 * external IP, latency and status, and move the exit's state with hysteresis. Many exits are
 * checked concurrently with a bound ({@code sluice.exits.check-concurrency}) and a per-upstream
 * host rate limit ({@code sluice.exits.checks-per-second-per-host}), so one provider host is never
 * flooded and 10,000 exits fit in one monitoring interval. A check in flight holds no thread: the
 * rate limiter's wait is a scheduled completion, the probe runs on the engine's event loops, and
 * only the short database write of its result takes a pool thread.
 */
@ApplicationScoped
public class ExitHealthService {

  private static final Logger LOG = System.getLogger(ExitHealthService.class.getName());

  @Inject ExitHealthStore store;
  @Inject ExitProber prober;
  @Inject Event<ExitsChanged> changed;
  @Inject MetricRegistry metrics;
  @Resource ManagedExecutorService executor;
  @Resource ManagedScheduledExecutorService scheduler;

  @Inject
  @ConfigProperty(name = "sluice.exits.check-url")
  java.util.Optional<String> configuredCheckUrl;

  @Inject
  @ConfigProperty(name = "http.port", defaultValue = "9080")
  int httpPort;

  @Inject
  @ConfigProperty(name = "sluice.exits.unhealthy-after", defaultValue = "3")
  int unhealthyAfter;

  @Inject
  @ConfigProperty(name = "sluice.exits.healthy-after", defaultValue = "2")
  int healthyAfter;

  @Inject
  @ConfigProperty(name = "sluice.exits.check-history", defaultValue = "20")
  int history;

  @Inject
  @ConfigProperty(name = "sluice.exits.check-concurrency", defaultValue = "64")
  int concurrency;

  @Inject
  @ConfigProperty(name = "sluice.exits.checks-per-second-per-host", defaultValue = "50")
  int perHostRate;

  @Inject
  @ConfigProperty(name = "sluice.exits.slow-ms", defaultValue = "1000")
  long slowMs;

  private final Map<String, Bucket> hostBuckets = new ConcurrentHashMap<>();

  // metric handles resolved once (a registry look-up validates the tags every time)
  private volatile Timer checkTimer;
  private volatile Counter healthyChecks;
  private volatile Counter unhealthyChecks;

  /** The result of one check as the API reports it. */
  public record CheckResult(
      long exitId,
      String name,
      Integer port,
      String expectedIp,
      String actualIp,
      boolean ipMismatch,
      boolean healthy,
      long latencyMs,
      int httpStatus,
      String state,
      String error,
      boolean slow) {}

  /** The result of checking many exits. */
  public record Summary(int total, int healthy, int unhealthy, List<CheckResult> results) {}

  /**
   * One check, on the caller's thread. Fault tolerance bounds it: at most 32 run at once (more get
   * a 429 problem) and the caller gets an answer within the timeout (504 otherwise).
   */
  @org.eclipse.microprofile.faulttolerance.Bulkhead(32)
  @org.eclipse.microprofile.faulttolerance.Timeout(
      value = 30,
      unit = java.time.temporal.ChronoUnit.SECONDS)
  public CheckResult check(long exitId) {
    if (!prober.ready()) {
      throw ApiException.unavailable(
          "exit checks run through the proxy engine, which is not running");
    }
    Run r = run(store.target(exitId));
    if (r.stateChanged) {
      changed.fire(new ExitsChanged("health"));
    }
    return r.result;
  }

  public Summary checkAll(String pool, String state, String country) {
    if (!prober.ready()) {
      LOG.log(Level.WARNING, "SLUICE0324W: exit checks skipped: the proxy engine is not running");
      return new Summary(0, 0, 0, List.of());
    }
    List<CheckResult> results = new ArrayList<>();
    checkEach(store.targets(pool, state, country), results::add);
    return summary(results);
  }

  /** Checks the tor exits of this server's own tor nodes (every server does, lease or not). */
  public Summary checkOwnTorExits() {
    if (!prober.ready()) {
      return new Summary(0, 0, 0, List.of());
    }
    List<CheckResult> results = new ArrayList<>();
    checkEach(store.ownTorTargets(), results::add);
    return summary(results);
  }

  /** The summary of {@code results}: counts of this round's results, not of states. */
  public static Summary summary(List<CheckResult> results) {
    int healthy = (int) results.stream().filter(CheckResult::healthy).count();
    return new Summary(results.size(), healthy, results.size() - healthy, results);
  }

  /**
   * Checks {@code targets} on the managed executor, at most {@code sluice.exits.check-concurrency}
   * at once and within the per-host rate, handing each result to {@code onResult} as it comes (on
   * the checking thread, in completion order; {@code onResult} must be thread-safe). Returns when
   * all are done, in the order of {@code targets}; a state change anywhere reloads the snapshot
   * once at the end. The monitor, the synchronous bulk check and check jobs all run through here.
   */
  public List<CheckResult> checkEach(
      List<ExitHealthStore.Target> targets, Consumer<CheckResult> onResult) {
    List<Run> runs =
        new CheckDispatcher(concurrency)
            .run(
                targets,
                this::pace,
                t -> probeAsync(t).thenApplyAsync(p -> finish(t, p), executor),
                r -> onResult.accept(r.result));
    List<CheckResult> results = new ArrayList<>(runs.size());
    boolean anyChange = false;
    for (Run r : runs) {
      results.add(r.result);
      anyChange |= r.stateChanged;
    }
    if (anyChange) {
      changed.fire(new ExitsChanged("health"));
    }
    return results;
  }

  /** Whether checks can run now (the proxy engine is up). */
  public boolean ready() {
    return prober.ready();
  }

  private record Run(CheckResult result, boolean stateChanged) {}

  private Run run(ExitHealthStore.Target t) {
    return finish(t, probeAsync(t).join());
  }

  /** The probe of one exit, without blocking; never completes exceptionally. */
  private CompletableFuture<ProbeResult> probeAsync(ExitHealthStore.Target t) {
    long start = System.nanoTime();
    CompletableFuture<ProbeResult> f;
    try {
      String url = t.checkUrl() != null ? t.checkUrl() : defaultCheckUrl();
      f = prober.probeAsync(t.probe(), URI.create(url));
    } catch (RuntimeException e) {
      f = CompletableFuture.failedFuture(e);
    }
    return f.handle((p, e) -> {
      ProbeResult r =
          e != null
              ? new ProbeResult(
                  false,
                  false,
                  null,
                  (System.nanoTime() - start) / 1_000_000,
                  0,
                  "check failed: " + rootMessage(e))
              : p;
      checkTimer().update(Duration.ofNanos(System.nanoTime() - start));
      (r.healthy() ? healthyChecks : unhealthyChecks).inc();
      return r;
    });
  }

  private static String rootMessage(Throwable e) {
    Throwable c = e;
    while (c instanceof java.util.concurrent.CompletionException && c.getCause() != null) {
      c = c.getCause();
    }
    return c.getMessage();
  }

  private Timer checkTimer() {
    Timer t = checkTimer;
    if (t == null) {
      healthyChecks = metrics.counter("sluice_exit_checks", new Tag("result", "healthy"));
      unhealthyChecks = metrics.counter("sluice_exit_checks", new Tag("result", "unhealthy"));
      t = metrics.timer("sluice_exit_check");
      checkTimer = t;
    }
    return t;
  }

  /** Records a probe's result (a short database write) and logs what changed. */
  private Run finish(ExitHealthStore.Target t, ProbeResult p) {
    ExitHealthStore.Recorded state =
        store.record(
            t.exitId(),
            p,
            new ExitHealthStore.Thresholds(
                Math.max(1, unhealthyAfter),
                Math.max(1, healthyAfter),
                Math.max(1, history),
                slowMs));
    boolean mismatch =
        p.healthy() && t.expectedIp() != null && !t.expectedIp().equals(p.actualIp());
    if (mismatch) {
      LOG.log(
          Level.WARNING,
          "SLUICE0320W: exit {0} answers from {1}, expected {2}",
          new Object[] {t.name(), p.actualIp(), t.expectedIp()});
    }
    if (state.changed()) {
      LOG.log(
          Level.INFO,
          "SLUICE0321I: exit {0} is now {1} ({2})",
          new Object[] {t.name(), state.label(), p.healthy() ? "check ok" : p.error()});
    }
    if (state.slowChanged()) {
      if (state.slow()) {
        LOG.log(
            Level.WARNING,
            "SLUICE0660W: exit {0} is slow: its average latency is above {1} ms (last check {2} ms)",
            new Object[] {t.name(), slowMs, p.latencyMillis()});
      } else {
        LOG.log(
            Level.INFO,
            "SLUICE0661I: exit {0} is no longer slow (last check {1} ms)",
            new Object[] {t.name(), p.latencyMillis()});
      }
    }
    return new Run(
        new CheckResult(
            t.exitId(),
            t.name(),
            t.port(),
            t.expectedIp(),
            p.actualIp(),
            mismatch,
            p.healthy(),
            p.latencyMillis(),
            p.httpStatus(),
            state.label(),
            p.error(),
            state.slow()),
        state.changed());
  }

  /** {@code sluice.exits.check-url}, else this server's own IP echo on its HTTP port. */
  String defaultCheckUrl() {
    return configuredCheckUrl
        .filter(u -> !u.isBlank())
        .orElse("http://127.0.0.1:" + httpPort + "/api/v1/ip");
  }

  /**
   * Completes when {@code t} may be checked under its upstream host's rate: a reservation in the
   * host's bucket whose wait is a scheduled completion, not a sleeping thread.
   */
  private CompletableFuture<Void> pace(ExitHealthStore.Target t) {
    return bucket(t).asScheduler().consume(1, scheduler);
  }

  private Bucket bucket(ExitHealthStore.Target t) {
    String host = t.probe().host() == null ? "direct" : t.probe().host();
    int rate = Math.max(1, t.checksPerSecond() != null ? t.checksPerSecond() : perHostRate);
    return hostBuckets.computeIfAbsent(
        host + "/" + rate,
        h ->
            Bucket.builder()
                .addLimit(
                    Bandwidth.builder()
                        .capacity(rate)
                        .refillGreedy(rate, Duration.ofSeconds(1))
                        .build())
                .build());
  }
}
