package io.sluice.engine.net;

import io.netty.channel.epoll.AbstractEpollStreamChannel;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A small queue for Netty's splice tasks. {@link AbstractEpollStreamChannel#spliceTo} keeps its
 * tasks in a queue that the channel creates on the first call, Netty's general MPSC queue with a
 * first chunk of 1,024 slots: 4.7 KB per channel, 9.2 KB per spliced tunnel (two channels; measured
 * in docs/benchmarks.md), for a queue that holds one task for the tunnel's whole life (the relay
 * splices each direction once, {@code Integer.MAX_VALUE} bytes). Before the relay's first {@code
 * spliceTo} on a channel, {@link #install} sets that field to a {@link ConcurrentLinkedQueue}
 * (about 40 bytes empty, one node per task; multi-producer multi-consumer, as the channel needs).
 * When the field cannot be reached (a Netty that renamed it), Netty's queue is used as before.
 */
public final class SpliceQueue {

  private static final Logger LOG = System.getLogger(SpliceQueue.class.getName());

  private static final VarHandle QUEUE = find();

  private SpliceQueue() {}

  private static VarHandle find() {
    try {
      return MethodHandles.privateLookupIn(AbstractEpollStreamChannel.class, MethodHandles.lookup())
          .findVarHandle(AbstractEpollStreamChannel.class, "spliceQueue", Queue.class);
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      LOG.log(Level.DEBUG, "Netty's splice queue field not found, its own queue is used: " + e);
      return null;
    }
  }

  /** True when {@link #install} can replace the queue (the field was found). */
  public static boolean available() {
    return QUEUE != null;
  }

  /**
   * Gives the channel a small splice queue unless it has one already; call before its first {@code
   * spliceTo}.
   */
  public static void install(AbstractEpollStreamChannel ch) {
    if (QUEUE != null) {
      QUEUE.compareAndSet(ch, (Queue<?>) null, new ConcurrentLinkedQueue<>());
    }
  }

  /** The channel's splice queue (null before the first splice); for tests. */
  static Queue<?> of(AbstractEpollStreamChannel ch) {
    return QUEUE == null ? null : (Queue<?>) QUEUE.getVolatile(ch);
  }
}
