package io.sluice.exits.app;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs many checks without a thread per check: the caller's thread hands them out in order, each
 * waits (without a thread) for its turn under the rate limit, then runs as a non-blocking stage; at
 * most {@code concurrency} are between hand-out and result at once (the caller's thread waits for a
 * free slot, nothing else blocks).
 */
final class CheckDispatcher {

  private final int concurrency;

  CheckDispatcher(int concurrency) {
    this.concurrency = Math.max(1, concurrency);
  }

  /**
   * Checks every item and returns the results in the order of {@code items}.
   *
   * @param pace completes when the item may start (a rate limiter's reservation)
   * @param check the check itself; it should complete normally (its failures are results)
   * @param onResult called with each result as it comes, on whichever thread completed it (must be
   *     thread-safe)
   * @throws java.util.concurrent.CompletionException when a check completed exceptionally
   */
  <T, R> List<R> run(
      List<T> items,
      Function<T, CompletionStage<?>> pace,
      Function<T, CompletionStage<R>> check,
      Consumer<R> onResult) {
    Semaphore slots = new Semaphore(concurrency);
    List<CompletableFuture<R>> futures = new ArrayList<>(items.size());
    for (T item : items) {
      slots.acquireUninterruptibly();
      CompletableFuture<R> f;
      try {
        f =
            pace.apply(item)
                .thenCompose(ignored -> check.apply(item))
                .toCompletableFuture()
                .whenComplete((r, e) -> {
                  slots.release();
                  if (r != null) {
                    onResult.accept(r);
                  }
                });
      } catch (RuntimeException e) {
        slots.release();
        f = CompletableFuture.failedFuture(e);
      }
      futures.add(f);
    }
    List<R> results = new ArrayList<>(futures.size());
    for (CompletableFuture<R> f : futures) {
      results.add(f.join());
    }
    return results;
  }
}
