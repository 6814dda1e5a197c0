package io.sluice.agent;

import io.sluice.engine.tunnel.DecodeResult;
import io.sluice.engine.tunnel.Frame;
import io.sluice.engine.tunnel.FrameCodec;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One WebSocket connection to Sluice, from the upgrade to the close: HELLO, then HELLO_OK (or
 * GOAWAY), then streams. {@link #run} blocks until the connection is gone and says why. The
 * listener callbacks run one at a time and never block: frames go out through the {@link
 * FrameSender}, DATA is queued per stream. Connection-level protocol errors close the WebSocket
 * with the decoder's code (1002/1008/1009); stream errors reset only the stream.
 */
final class TunnelConnection implements WebSocket.Listener, AgentStream.Host {

  /** How a connection ended: whether the WebSocket opened, whether HELLO_OK came, and why it ended. */
  record Outcome(boolean opened, boolean authenticated, String reason) {}

  private static final Duration GOAWAY_GRACE = Duration.ofSeconds(2);
  /** Upgrade request header listing the protocol extensions this agent takes. */
  static final String FEATURES_HEADER = "Sluice-Tunnel-Features";
  /** After a failed data connection, streams use the WebSocket for this long before trying again. */
  private static final long DIRECT_RETRY_NANOS = Duration.ofSeconds(60).toNanos();
  private static final byte[] DIRECT_MAGIC = {'S', 'L', 'D', '1'};

  private final AgentOptions options;
  private final HttpClient client;
  private final TargetConnector connector;
  private final AgentLog log;
  private final String softwareVersion;
  private final CompletableFuture<String> done = new CompletableFuture<>();
  private final Map<Long, AgentStream> streams = new ConcurrentHashMap<>();

  private volatile WebSocket ws;
  private volatile FrameSender sender;
  private volatile long lastReceived = System.nanoTime();
  private volatile boolean authenticated;
  private volatile long goAwayAt;
  private volatile String goAway;
  private volatile CompletableFuture<?> closing;
  private volatile long directRetryAt;
  private volatile boolean directLogged;

  // listener thread only
  private FrameCodec codec = new FrameCodec();
  private int initialWindow;
  private long highestStreamId;
  private byte[] partial = new byte[1024];
  private int partialLength;

  TunnelConnection(AgentOptions options, HttpClient client, TargetConnector connector, AgentLog log,
      String softwareVersion) {
    this.options = options;
    this.client = client;
    this.connector = connector;
    this.log = log;
    this.softwareVersion = softwareVersion;
  }

  /** Connects, serves until the connection ends, closes every stream, and reports. */
  Outcome run() throws InterruptedException {
    WebSocket.Builder builder = client.newWebSocketBuilder().connectTimeout(options.connectTimeout());
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
    return new Outcome(true, authenticated, reason);
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
    for (AgentStream st : streams.values()) {
      st.abort();
    }
    streams.clear();
  }

  /** Stops the connection from outside (agent shutdown). */
  void shutdown() {
    fail("agent stopping");
  }

  /**
   * Ends the connection from our side: GOAWAY(reason), then a WebSocket close, both behind the
   * frames already queued (best effort). The protocol names close codes 1002/1008/1009 for
   * errors, but the JDK client can only send 1000 (or 3000-4999), so the code is 1000 and the
   * reason travels in GOAWAY and in the close reason.
   */
  private void fail(String reason) {
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
    while (r.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > maxBytes) {
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
    s.send(new Frame.Hello(Frame.PROTOCOL_VERSION, options.agentId(), options.token(), softwareVersion));
    webSocket.request(1);
  }

  @Override
  public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
    lastReceived = System.nanoTime();
    if (done.isDone()) {
      return null;
    }
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
      handle(((DecodeResult.Ok) r).frame());
      if (!done.isDone()) {
        webSocket.request(1);
      }
      return null;
    }
    if (partialLength + n > partial.length) {
      partial = java.util.Arrays.copyOf(partial, Math.min(limit, Math.max(partial.length * 2, partialLength + n)));
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
      handle(((DecodeResult.Ok) r).frame()); // the buffer (at most one frame) is kept for the next message
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

  // ------------------------------------------------------------------ frames

  private void handle(Frame frame) {
    if (!authenticated) {
      switch (frame) {
        case Frame.HelloOk ok -> accept(ok);
        case Frame.GoAway g -> goAway(g);
        default -> fail("protocol error: expected HELLO_OK");
      }
      return;
    }
    switch (frame) {
      case Frame.Open o -> open(o.streamId(), o.host(), o.port(), null);
      case Frame.OpenDirect o -> open(o.streamId(), o.host(), o.port(), o);
      case Frame.Data d -> {
        AgentStream s = streams.get(d.streamId());
        if (s != null) {
          s.onData(d);
        }
      }
      case Frame.Window w -> {
        AgentStream s = streams.get(w.streamId());
        if (s != null) {
          s.onWindow(w);
        }
      }
      case Frame.Close c -> {
        AgentStream s = streams.get(c.streamId());
        if (s != null) {
          s.onClose(c);
        }
      }
      case Frame.Ping p -> send(new Frame.Pong(p.opaque()));
      case Frame.Pong p -> { }
      case Frame.GoAway g -> goAway(g);
      case Frame.HelloOk ok -> fail("protocol error: unexpected HELLO_OK");
      // Sent by agents only; a server that echoes them is ignored like a late frame.
      case Frame.OpenOk ok -> log.debug(() -> "ignored OPEN_OK from the server on stream " + ok.streamId());
      case Frame.OpenFail of -> log.debug(() -> "ignored OPEN_FAIL from the server on stream " + of.streamId());
      case Frame.Hello h -> fail("protocol error: unexpected HELLO");
    }
  }

  private void accept(Frame.HelloOk ok) {
    int max = ok.maxFramePayload();
    if (max < FrameCodec.MIN_MAX_PAYLOAD || max > FrameCodec.MAX_MAX_PAYLOAD) {
      fail("protocol error: HELLO_OK max frame payload " + max + " unsupported");
      return;
    }
    codec = new FrameCodec(max);
    sender.useCodec(codec);
    initialWindow = ok.initialWindow();
    authenticated = true;
    log.info("connected to " + options.server() + " as agent " + options.agentId());
  }

  private void goAway(Frame.GoAway g) {
    if (goAway == null) {
      goAway = g.reason();
      goAwayAt = System.nanoTime();
      FrameSender s = sender;
      if (s != null) {
        closing = s.close("");
      }
    }
  }

  private void open(long id, String host, int port, Frame.OpenDirect direct) {
    if (id <= highestStreamId) {
      AgentStream existing = streams.get(id);
      if (existing != null) {
        existing.abort();
        streams.remove(id, existing);
      }
      log.debug(() -> "stream " + id + ": OPEN id not increasing, reset");
      send(new Frame.Close(id, Frame.Close.RESET));
      return;
    }
    highestStreamId = id;
    if (goAway != null) {
      send(new Frame.OpenFail(id, Frame.OpenFail.GENERAL, "agent is disconnecting"));
      return;
    }
    if (streams.size() >= options.maxStreams()) {
      log.debug(() -> "stream " + id + " refused: " + options.maxStreams() + " streams open");
      send(new Frame.OpenFail(id, Frame.OpenFail.GENERAL, "too many streams"));
      return;
    }
    AgentStream s = new AgentStream(id, host, port, initialWindow, codec.maxPayload(), this, direct);
    streams.put(id, s);
    log.debug(() -> "stream " + id + (direct == null ? " OPEN " : " OPEN_DIRECT ") + host + ":" + port);
    s.start(connector);
  }

  // ------------------------------------------------------------------ AgentStream.Host

  @Override
  public void send(Frame f) {
    FrameSender s = sender;
    if (s != null && !done.isDone()) {
      s.send(f);
    }
  }

  @Override
  public void removed(AgentStream s) {
    streams.remove(s.id, s);
  }

  @Override
  public AgentLog log() {
    return log;
  }

  /**
   * Opens the data connection of a direct stream to the server's host (from {@code --server}) on
   * {@code offer.dataPort()} and sends the preamble; null when that is not possible (then the
   * stream uses the WebSocket, and so do the streams of the next minute).
   */
  @Override
  public java.net.Socket dialDirect(Frame.OpenDirect offer) {
    long now = System.nanoTime();
    if (directRetryAt != 0 && now - directRetryAt < 0) {
      return null;
    }
    String host = options.server().getHost();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    java.net.Socket s = new java.net.Socket();
    try {
      s.setTcpNoDelay(true);
      int timeout = (int) Math.min(options.connectTimeout().toMillis(), 5_000);
      s.connect(new java.net.InetSocketAddress(host, offer.dataPort()), timeout);
      byte[] preamble = new byte[DIRECT_MAGIC.length + Frame.DIRECT_KEY_BYTES];
      System.arraycopy(DIRECT_MAGIC, 0, preamble, 0, DIRECT_MAGIC.length);
      System.arraycopy(offer.key(), 0, preamble, DIRECT_MAGIC.length, Frame.DIRECT_KEY_BYTES);
      s.getOutputStream().write(preamble);
      s.getOutputStream().flush();
      if (directLogged) {
        directLogged = false;
        log.info("direct data connections to " + host + ":" + offer.dataPort() + " work again");
      }
      directRetryAt = 0;
      return s;
    } catch (java.io.IOException | RuntimeException e) {
      try {
        s.close();
      } catch (java.io.IOException ignored) {
        // nothing to release
      }
      directRetryAt = System.nanoTime() + DIRECT_RETRY_NANOS;
      if (!directLogged) {
        directLogged = true;
        log.info("direct data connection to " + host + ":" + offer.dataPort() + " failed (" + Describe.cause(e)
            + "); streams use the WebSocket, next try in 60s");
      }
      return null;
    }
  }

  /** Streams in the table (tests). */
  int streamCount() {
    return streams.size();
  }
}
