package io.sluice.agent;

import io.sluice.engine.tunnel.DecodeResult;
import io.sluice.engine.tunnel.Frame;
import io.sluice.engine.tunnel.FrameCodec;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One WebSocket connection to Sluice, from the upgrade to the close (the lifecycle; {@link Agent}
 * reconnects): upgrade, HELLO, heartbeat, GOAWAY, and the end, which closes every stream. {@link
 * #run} blocks until the connection is gone and says why. As the WebSocket listener it reassembles
 * and decodes binary messages and hands each frame to its {@link FrameDispatcher} (HELLO_OK,
 * streams; direct streams' data connections via {@link DirectDialer}). The listener callbacks run
 * one at a time and never block: frames go out through the {@link FrameSender}, DATA is queued per
 * stream. Connection-level protocol errors close the WebSocket with the decoder's code
 * (1002/1008/1009); stream errors reset only the stream.
 */
final class TunnelConnection implements WebSocket.Listener {

  /**
   * How a connection ended: whether the WebSocket opened, whether HELLO_OK came, and why it ended.
   */
  record Outcome(boolean opened, boolean authenticated, String reason) {}

  private static final Duration GOAWAY_GRACE = Duration.ofSeconds(2);

  /** Upgrade request header listing the protocol extensions this agent takes. */
  static final String FEATURES_HEADER = "Sluice-Tunnel-Features";

  private final AgentOptions options;
  private final HttpClient client;
  private final AgentLog log;
  private final String softwareVersion;
  private final CompletableFuture<String> done = new CompletableFuture<>();
  private final FrameDispatcher dispatcher;

  private volatile WebSocket ws;
  private volatile FrameSender sender;
  private volatile long lastReceived = System.nanoTime();
  private volatile long goAwayAt;
  private volatile String goAway;
  private volatile CompletableFuture<?> closing;

  // listener thread only
  private byte[] partial = new byte[1024];
  private int partialLength;

  TunnelConnection(
      AgentOptions options,
      HttpClient client,
      TargetConnector connector,
      AgentLog log,
      String softwareVersion) {
    this.options = options;
    this.client = client;
    this.log = log;
    this.softwareVersion = softwareVersion;
    this.dispatcher = new FrameDispatcher(this, options, connector, log);
  }

  /** Connects, serves until the connection ends, closes every stream, and reports. */
  Outcome run() throws InterruptedException {
    WebSocket.Builder builder =
        client.newWebSocketBuilder().connectTimeout(options.connectTimeout());
    if (options.usesDirect()) {
      builder.header(FEATURES_HEADER, "direct");
    }
    CompletableFuture<WebSocket> connecting = builder.buildAsync(options.server(), this);
    try {
      connecting.get(options.connectTimeout().toMillis() + 5_000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      return new Outcome(false, false, Describe.cause(e.getCause()));
    } catch (TimeoutException e) {
      connecting.cancel(true);
      return new Outcome(false, false, "connect timed out");
    }
    try {
      heartbeat();
    } finally {
      cleanup();
    }
    String reason = done.getNow("stopped");
    if (goAway != null && !reason.startsWith("GOAWAY")) {
      reason = reason + " (after GOAWAY \"" + goAway + "\")";
    }
    return new Outcome(true, dispatcher.authenticated(), reason);
  }

  /** Pings every interval; gives up after 3 silent intervals, or 2 s after GOAWAY. */
  private void heartbeat() throws InterruptedException {
    long interval = options.pingInterval().toNanos();
    long nextPing = System.nanoTime() + interval;
    long tick = Math.min(options.pingInterval().toMillis(), 250);
    while (!done.isDone()) {
      try {
        done.get(tick, TimeUnit.MILLISECONDS);
        return;
      } catch (ExecutionException e) {
        return;
      } catch (TimeoutException e) {
        long now = System.nanoTime();
        if (now - lastReceived > 3 * interval) {
          fail("no traffic for " + Durations.format(Duration.ofNanos(3 * interval)));
        } else if (goAway != null && now - goAwayAt > GOAWAY_GRACE.toNanos()) {
          finish("GOAWAY \"" + goAway + "\"");
        } else if (now - nextPing >= 0) {
          nextPing = now + interval;
          FrameSender s = sender;
          if (s != null) {
            s.ping();
          }
        }
      }
    }
  }

  private void cleanup() {
    CompletableFuture<?> c = closing;
    if (c != null) {
      try {
        c.get(1, TimeUnit.SECONDS); // let our close frame out before aborting
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException | RuntimeException e) {
        log.debug(() -> "close not sent: " + Describe.cause(e));
      }
    }
    FrameSender s = sender;
    if (s != null) {
      s.stop();
    }
    WebSocket w = ws;
    if (w != null) {
      w.abort();
    }
    dispatcher.abortAll();
  }

  /** Stops the connection from outside (agent shutdown). */
  void shutdown() {
    fail("agent stopping");
  }

  /**
   * Ends the connection from our side: GOAWAY(reason), then a WebSocket close, both behind the
   * frames already queued (best effort). The protocol names close codes 1002/1008/1009 for errors,
   * but the JDK client can only send 1000 (or 3000-4999), so the code is 1000 and the reason
   * travels in GOAWAY and in the close reason.
   */
  void fail(String reason) {
    FrameSender s = sender;
    if (s != null && !done.isDone()) {
      String r = shorten(reason, DecodeResult.MAX_REASON_BYTES);
      s.send(new Frame.GoAway(r));
      closing = s.close(r);
    }
    finish(reason);
  }

  private static String shorten(String s, int maxBytes) {
    String r = s.replaceAll("\\p{Cntrl}", " ");
    while (r.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
      r = r.substring(0, r.length() - 1);
    }
    return r;
  }

  private void finish(String reason) {
    done.complete(reason);
  }

  // ------------------------------------------------------------------ WebSocket.Listener

  @Override
  public void onOpen(WebSocket webSocket) {
    ws = webSocket;
    lastReceived = System.nanoTime();
    FrameSender s = new FrameSender(webSocket, this::finish);
    sender = s;
    s.start("sluice-agent-sender");
    s.send(
        new Frame.Hello(
            Frame.PROTOCOL_VERSION, options.agentId(), options.token(), softwareVersion));
    webSocket.request(1);
  }

  @Override
  public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
    lastReceived = System.nanoTime();
    if (done.isDone()) {
      return null;
    }
    FrameCodec codec = dispatcher.codec();
    int limit = FrameCodec.HEADER_BYTES + codec.maxPayload();
    int n = data.remaining();
    if (partialLength + n > limit) {
      fail("message too big");
      return null;
    }
    if (last && partialLength == 0) { // a whole message in one part: decode it in place
      DecodeResult r = codec.decode(data, true);
      if (r instanceof DecodeResult.Error e) {
        fail("protocol error: " + e.reason());
        return null;
      }
      dispatcher.handle(((DecodeResult.Ok) r).frame());
      if (!done.isDone()) {
        webSocket.request(1);
      }
      return null;
    }
    if (partialLength + n > partial.length) {
      partial =
          Arrays.copyOf(partial, Math.min(limit, Math.max(partial.length * 2, partialLength + n)));
    }
    data.get(partial, partialLength, n);
    partialLength += n;
    if (last) {
      ByteBuffer message = ByteBuffer.wrap(partial, 0, partialLength);
      partialLength = 0;
      DecodeResult r = codec.decode(message, true);
      if (r instanceof DecodeResult.Error e) {
        fail("protocol error: " + e.reason());
        return null;
      }
      dispatcher.handle(
          ((DecodeResult.Ok) r)
              .frame()); // the buffer (at most one frame) is kept for the next message
    }
    if (!done.isDone()) {
      webSocket.request(1);
    }
    return null;
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    lastReceived = System.nanoTime();
    fail("protocol error: text message");
    return null;
  }

  @Override
  public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
    lastReceived = System.nanoTime();
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
    lastReceived = System.nanoTime();
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    finish("close " + statusCode + (reason == null || reason.isEmpty() ? "" : " " + reason));
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    finish("error: " + Describe.cause(error));
  }

  // ------------------------------------------------------------------ for the dispatcher

  /**
   * GOAWAY from the server: no new streams, close our side; {@link #heartbeat} ends it after a
   * grace.
   */
  void goAway(Frame.GoAway g) {
    if (goAway == null) {
      goAway = g.reason();
      goAwayAt = System.nanoTime();
      FrameSender s = sender;
      if (s != null) {
        closing = s.close("");
      }
    }
  }

  /** Whether the server sent GOAWAY. */
  boolean goingAway() {
    return goAway != null;
  }

  /** Sends a frame unless the connection has ended. */
  void send(Frame f) {
    FrameSender s = sender;
    if (s != null && !done.isDone()) {
      s.send(f);
    }
  }

  /** Encodes outgoing frames with the settings of HELLO_OK. */
  void useCodec(FrameCodec c) {
    sender.useCodec(c);
  }

  /** Streams in the table (tests). */
  int streamCount() {
    return dispatcher.streamCount();
  }
}
