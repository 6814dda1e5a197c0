package io.sluice.engine.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * {@link InetAddress#getAllByName} on a small bounded executor made from the host's thread factory.
 * A full queue fails the lookup at once instead of queueing without bound.
 */
public final class JdkHostResolver implements HostResolver {

  private final ThreadPoolExecutor executor;

  public JdkHostResolver(ThreadFactory threadFactory, int threads, int queue) {
    this.executor =
        new ThreadPoolExecutor(
            threads,
            threads,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(queue),
            threadFactory,
            new ThreadPoolExecutor.AbortPolicy());
    this.executor.allowCoreThreadTimeOut(true);
  }

  @Override
  public CompletionStage<List<InetAddress>> resolve(String host) {
    try {
      return CompletableFuture.supplyAsync(() -> lookup(host), executor);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private static List<InetAddress> lookup(String host) {
    try {
      return List.of(InetAddress.getAllByName(host));
    } catch (UnknownHostException e) {
      throw new CompletionException(e);
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
