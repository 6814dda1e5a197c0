package io.sluice.agent;

import io.sluice.engine.tunnel.Frame;
import io.sluice.engine.tunnel.FrameCodec;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The only path to the WebSocket for frames and pings: the JDK WebSocket allows one outstanding
 * binary send, so a single virtual thread drains a queue and waits for each send to complete.
 * Memory stays bounded because DATA is credit-limited per stream. Thread-safe.
 */
final class FrameSender {

  private static final Object PING = new Object();
  private static final Object STOP = new Object();

  /** A close frame, the last thing sent. */
  private record CloseItem(String reason) {}

  private final WebSocket ws;
  private final Consumer<String> onFailure;
  private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private volatile FrameCodec codec = new FrameCodec();
  private volatile boolean stopped;
  private final CompletableFuture<Void> closeSent = new CompletableFuture<>();

  /**
   * @param onFailure called once with a reason when a send fails (the connection is dead)
   */
  FrameSender(WebSocket ws, Consumer<String> onFailure) {
    this.ws = ws;
    this.onFailure = onFailure;
  }

  void start(String name) {
    Thread.ofVirtual().name(name).start(this::drain);
  }

  /** Codec for the settings of HELLO_OK (the maximum DATA payload). */
  void useCodec(FrameCodec c) {
    codec = c;
  }

  /** Encodes on the caller's thread and queues; dropped silently once stopped. */
  void send(Frame f) {
    if (!stopped) {
      queue.add(codec.encode(f));
    }
  }

  /** Queues a WebSocket ping (heartbeat). */
  void ping() {
    if (!stopped) {
      queue.add(PING);
    }
  }

  /**
   * Queues a WebSocket close (status 1000: the JDK client cannot send 1002/1008/1009) behind the
   * frames already queued; nothing is sent after it. The future completes when it went out or could
   * not.
   */
  CompletableFuture<Void> close(String reason) {
    if (!stopped) {
      queue.add(new CloseItem(reason));
    } else {
      closeSent.complete(null);
    }
    return closeSent;
  }

  /** Frames queued but not sent yet (tests). */
  int pending() {
    return queue.size();
  }

  void stop() {
    stopped = true;
    closeSent.complete(null);
    queue.clear();
    queue.add(STOP);
  }

  private void drain() {
    try {
      while (true) {
        Object item = queue.take();
        if (item == STOP || stopped) {
          return;
        }
        if (item instanceof CloseItem c) {
          try {
            await(ws.sendClose(WebSocket.NORMAL_CLOSURE, c.reason()));
          } finally {
            closeSent.complete(null);
          }
          return;
        }
        CompletableFuture<WebSocket> f =
            item == PING
                ? ws.sendPing(ByteBuffer.wrap(new byte[] {'s', 'l'}))
                : ws.sendBinary((ByteBuffer) item, true);
        await(f);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      if (!stopped) {
        onFailure.accept("send failed: " + Describe.cause(e.getCause()));
      }
    } catch (RuntimeException e) {
      if (!stopped) {
        onFailure.accept("send failed: " + Describe.cause(e));
      }
    }
  }

  private void await(CompletableFuture<WebSocket> f)
      throws InterruptedException, ExecutionException {
    while (true) {
      try {
        f.get(500, TimeUnit.MILLISECONDS);
        return;
      } catch (TimeoutException e) {
        if (stopped) {
          f.cancel(true);
          return;
        }
      }
    }
  }
}
