package io.sluice.engine.net;

import io.netty.util.concurrent.FastThreadLocalThread;
import java.util.concurrent.ThreadFactory;

/**
 * Makes the threads of a host's {@link ThreadFactory} count as Netty fast-thread-local threads
 * while they run an event loop.
 *
 * <p>Netty 4.2 pools per thread only on threads it knows will clean their fast thread-locals up: on
 * any other thread the {@code Recycler} hands out a new object every time (pooled buffer instances,
 * outbound-buffer entries) and the pooled allocator skips its per-thread cache, so every buffer is
 * carved from a shared arena under its lock. Inside Liberty the event loops run on threads of a
 * {@code ManagedThreadFactory}, which are plain threads; without this wrapper the server allocated
 * more per connection than the engine alone (whose benchmark uses Netty's own thread factory). The
 * wrapper runs each loop inside {@link FastThreadLocalThread#runWithFastThreadLocal}, which
 * registers the thread, and removes its thread-locals (returning cached buffers to the arenas) when
 * the loop ends. A thread that already is a {@link FastThreadLocalThread} runs the loop as it is.
 */
public final class LoopThreads {

  private LoopThreads() {}

  public static ThreadFactory withFastThreadLocals(ThreadFactory threads) {
    return task -> threads.newThread(() -> runWithFastThreadLocals(task));
  }

  static void runWithFastThreadLocals(Runnable task) {
    if (Thread.currentThread() instanceof FastThreadLocalThread) {
      task.run();
    } else {
      FastThreadLocalThread.runWithFastThreadLocal(task);
    }
  }
}
