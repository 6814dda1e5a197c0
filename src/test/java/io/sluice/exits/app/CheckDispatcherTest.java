package io.sluice.exits.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Many checks with latency, a concurrency bound and a rate limit, on two threads in all. */
class CheckDispatcherTest {

  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private final Set<String> checkThreads = ConcurrentHashMap.newKeySet();

  @AfterEach
  void stop() {
    timer.shutdownNow();
  }

  /** A check that answers its item after {@code latencyMs}, like a probe on an event loop. */
  private CompletionStage<Integer> slowCheck(int item, long latencyMs) {
    checkThreads.add(Thread.currentThread().getName());
    maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
    CompletableFuture<Integer> f = new CompletableFuture<>();
    timer.schedule(
        () -> {
          inFlight.decrementAndGet();
          f.complete(item);
        },
        latencyMs,
        TimeUnit.MILLISECONDS);
    return f;
  }

  private static CompletionStage<?> now(Integer item) {
    return CompletableFuture.completedFuture(null);
  }

  @Test
  void thousandsOfSlowChecksRunConcurrentlyWithoutAThreadEach() {
    List<Integer> items = IntStream.range(0, 2000).boxed().toList();
    Set<Integer> seen = ConcurrentHashMap.newKeySet();
    long t0 = System.nanoTime();

    List<Integer> results =
        new CheckDispatcher(200)
            .run(items, CheckDispatcherTest::now, i -> slowCheck(i, 100), seen::add);

    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertThat(results).containsExactlyElementsOf(items); // in the order of the items
    assertThat(seen).hasSize(2000); // every result handed on as it came
    assertThat(maxInFlight.get()).isEqualTo(200); // the bound, reached and never passed
    // 10 waves of 100 ms; a thread per check (or 200 threads) would not be needed for this
    assertThat(ms).isLessThan(5_000);
    assertThat(checkThreads).containsExactly(Thread.currentThread().getName());
  }

  @Test
  void concurrencyOneRunsOneAtATime() {
    List<Integer> items = List.of(1, 2, 3, 4, 5);

    List<Integer> results =
        new CheckDispatcher(1).run(items, CheckDispatcherTest::now, i -> slowCheck(i, 20), r -> {});

    assertThat(results).containsExactly(1, 2, 3, 4, 5);
    assertThat(maxInFlight.get()).isEqualTo(1);
  }

  @Test
  void theRateLimitPacesChecksBeyondTheBurst() {
    Bucket perHost =
        Bucket.builder()
            .addLimit(
                Bandwidth.builder().capacity(20).refillGreedy(20, Duration.ofSeconds(1)).build())
            .build();
    List<Integer> items = IntStream.range(0, 40).boxed().toList();
    long t0 = System.nanoTime();

    List<Integer> results =
        new CheckDispatcher(100)
            .run(
                items, i -> perHost.asScheduler().consume(1, timer), i -> slowCheck(i, 1), r -> {});

    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertThat(results).containsExactlyElementsOf(items);
    // 20 at once, then 20 more at 20/s: about one second, never much less
    assertThat(ms).isBetween(850L, 10_000L);
  }

  @Test
  void aFailedCheckFailsTheRunButFreesItsSlot() {
    List<Integer> items = List.of(1, 2, 3, 4);
    AtomicInteger done = new AtomicInteger();

    assertThatThrownBy(() ->
            new CheckDispatcher(1)
                .run(
                    items,
                    CheckDispatcherTest::now,
                    i ->
                        i == 2
                            ? CompletableFuture.<Integer>failedFuture(
                                new IllegalStateException("boom"))
                            : slowCheck(i, 5),
                    r -> done.incrementAndGet()))
        .isInstanceOf(CompletionException.class)
        .hasRootCauseMessage("boom");
    // with one slot, the items after the failed one still ran
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(done.get()).isEqualTo(3));
  }
}
