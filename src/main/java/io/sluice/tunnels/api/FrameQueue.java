package io.sluice.tunnels.api;

import io.sluice.engine.mux.TunnelMux;
import jakarta.websocket.Session;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;

/**
 * Frames to one agent, sent in order by one sender thread per connection with the blocking remote.
 * Callers (engine event loops, container threads) only enqueue and never block. A sender thread
 * instead of chained asynchronous sends: each asynchronous completion costs a hand-off through the
 * container's executor, which made the relay latency-bound (measured: several times slower). What
 * waits here is bounded by flow control: DATA is sent only within each stream's credit, and
 * everything else answers something the agent sent.
 */
final class FrameQueue implements TunnelMux.FrameSink {

  private static final Logger LOG = System.getLogger(FrameQueue.class.getName());
  private static final ByteBuffer STOP = ByteBuffer.allocate(0);

  private final Session session;
  private final LinkedBlockingQueue<ByteBuffer> queue = new LinkedBlockingQueue<>();
  private final java.util.concurrent.atomic.AtomicLong queuedBytes =
      new java.util.concurrent.atomic.AtomicLong();
  private final long maxQueuedBytes;
  private volatile boolean stopped;

  /**
   * @param maxQueuedBytes more than this waiting means the agent stopped reading while it keeps
   *     sending (credit-bounded DATA cannot get there; e.g. a PING flood whose PONGs pile up): the
   *     connection is closed
   */
  FrameQueue(Session session, ThreadFactory threads, long maxQueuedBytes) {
    this.session = session;
    this.maxQueuedBytes = maxQueuedBytes;
    Thread sender = threads.newThread(this::run);
    sender.setName("sluice-tunnel-sender");
    sender.setDaemon(true);
    sender.start();
  }

  @Override
  public void send(ByteBuffer encodedFrame) {
    if (stopped) {
      return;
    }
    if (queuedBytes.addAndGet(encodedFrame.remaining()) > maxQueuedBytes) {
      LOG.log(
          Level.INFO,
          "SLUICE0406I: tunnel agent connection closed: more than {0} bytes waiting to be sent",
          String.valueOf(maxQueuedBytes));
      stop();
      close(1008, "not reading");
      return;
    }
    queue.add(encodedFrame);
  }

  @Override
  public void close(int code, String reason) {
    TunnelEndpoint.close(session, code, reason);
  }

  /** The connection is closed: the sender thread ends, queued frames are dropped. */
  void stop() {
    stopped = true;
    queue.clear();
    queue.add(STOP);
  }

  private void run() {
    // Frames go out from one reused direct buffer: handed a heap buffer, Liberty's TCP channel
    // allocates (and zeroes) a new direct buffer for every write, which was a quarter of the
    // server's CPU when relaying towards an agent. The blocking send has finished with the
    // buffer when it returns.
    ByteBuffer direct = ByteBuffer.allocateDirect(64 * 1024 + 64);
    try {
      while (true) {
        ByteBuffer next = queue.take();
        if (next == STOP || stopped) {
          return;
        }
        queuedBytes.addAndGet(-next.remaining());
        if (next.remaining() > direct.capacity()) {
          direct = ByteBuffer.allocateDirect(next.remaining());
        }
        direct.clear();
        direct.put(next).flip();
        session.getBasicRemote().sendBinary(direct);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException | RuntimeException e) {
      if (!stopped) {
        LOG.log(Level.DEBUG, "tunnel send failed: {0}", e.toString());
        stopped = true;
        queue.clear();
        close(1011, "send failed");
      }
    }
  }
}
