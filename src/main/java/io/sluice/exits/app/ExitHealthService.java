package io.sluice.exits.app;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.sluice.exits.domain.ExitProber;
import io.sluice.exits.domain.ExitsChanged;
import io.sluice.exits.domain.ProbeResult;
import io.sluice.platform.problem.ApiException;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
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
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

/**
 * Health checks through each exit: fetch an IP-echo URL through the exit, record reachability,
 * external IP, latency and status, and move the exit's state with hysteresis. Many exits are
 * checked concurrently with a bound ({@code sluice.exits.check-concurrency}) and a per-upstream
 * host rate limit ({@code sluice.exits.checks-per-second-per-host}), so one provider host is never
 * flooded and 10,000 exits fit in one monitoring interval.
 */
@ApplicationScoped
public class ExitHealthService {

  private static final Logger LOG = System.getLogger(ExitHealthService.class.getName());

  @Inject ExitHealthStore store;
  @Inject ExitProber prober;
  @Inject Event<ExitsChanged> changed;
  @Inject MetricRegistry metrics;
  @Resource ManagedExecutorService executor;

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
  @ConfigProperty(name = "sluice.exits.check-concurrency", defaultValue = "32")
  int concurrency;

  @Inject
  @ConfigProperty(name = "sluice.exits.checks-per-second-per-host", defaultValue = "50")
  int perHostRate;

  @Inject
  @ConfigProperty(name = "sluice.exits.slow-ms", defaultValue = "1000")
  long slowMs;

  private final Map<String, Bucket> hostBuckets = new ConcurrentHashMap<>();

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
    Semaphore permits = new Semaphore(Math.max(1, concurrency));
    List<CompletableFuture<Run>> futures = new ArrayList<>();
    for (ExitHealthStore.Target t : targets) {
      permits.acquireUninterruptibly();
      futures.add(
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  rateLimit(t);
                  Run r = run(t);
                  onResult.accept(r.result);
                  return r;
                } finally {
                  permits.release();
                }
              },
              executor));
    }
    List<CheckResult> results = new ArrayList<>();
    boolean anyChange = false;
    for (CompletableFuture<Run> f : futures) {
      Run r = f.join();
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
    String url = t.checkUrl() != null ? t.checkUrl() : defaultCheckUrl();
    long start = System.nanoTime();
    ProbeResult p;
    try {
      p = prober.probe(t.probe(), URI.create(url));
    } catch (RuntimeException e) {
      p =
          new ProbeResult(
              false,
              false,
              null,
              (System.nanoTime() - start) / 1_000_000,
              0,
              "check failed: " + e.getMessage());
    }
    metrics.timer("sluice_exit_check").update(Duration.ofNanos(System.nanoTime() - start));
    metrics
        .counter("sluice_exit_checks", new Tag("result", p.healthy() ? "healthy" : "unhealthy"))
        .inc();
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

  private void rateLimit(ExitHealthStore.Target t) {
    String host = t.probe().host() == null ? "direct" : t.probe().host();
    int rate = t.checksPerSecond() != null ? t.checksPerSecond() : perHostRate;
    Bucket b =
        hostBuckets.computeIfAbsent(
            host + "/" + rate,
            h ->
                Bucket.builder()
                    .addLimit(
                        Bandwidth.builder()
                            .capacity(rate)
                            .refillGreedy(rate, Duration.ofSeconds(1))
                            .build())
                    .build());
    try {
      b.asBlocking().consume(1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
