package io.sluice.agent;

import io.sluice.engine.tunnel.Frame;
import io.sluice.engine.tunnel.FrameCodec;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Frame dispatch for one {@link TunnelConnection}: acts on each decoded frame from the server
 * (HELLO_OK before anything else, then OPEN/OPEN_DIRECT, per-stream DATA/WINDOW/CLOSE, PING,
 * GOAWAY) and keeps the table of open streams, to which it is the {@link AgentStream.Host}. {@link
 * #handle} runs on the listener thread only and never blocks; connection-level protocol errors end
 * the connection through {@link TunnelConnection#fail}, stream errors reset only the stream. The
 * stream table is thread-safe.
 */
final class FrameDispatcher implements AgentStream.Host {

  private final TunnelConnection connection;
  private final AgentOptions options;
  private final TargetConnector connector;
  private final AgentLog log;
  private final DirectDialer dialer;
  private final Map<Long, AgentStream> streams = new ConcurrentHashMap<>();

  private volatile boolean authenticated;

  // listener thread only
  private FrameCodec codec = new FrameCodec();
  private int initialWindow;
  private long highestStreamId;

  FrameDispatcher(
      TunnelConnection connection, AgentOptions options, TargetConnector connector, AgentLog log) {
    this.connection = connection;
    this.options = options;
    this.connector = connector;
    this.log = log;
    this.dialer = new DirectDialer(options, log);
  }

  /** Whether HELLO_OK came. */
  boolean authenticated() {
    return authenticated;
  }

  /**
   * The codec for incoming messages: the defaults until HELLO_OK, then its settings. Listener
   * thread only.
   */
  FrameCodec codec() {
    return codec;
  }

  /** Acts on one frame from the server. Listener thread only. */
  void handle(Frame frame) {
    if (!authenticated) {
      switch (frame) {
        case Frame.HelloOk ok -> accept(ok);
        case Frame.GoAway g -> connection.goAway(g);
        default -> connection.fail("protocol error: expected HELLO_OK");
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
      case Frame.Pong p -> {}
      case Frame.GoAway g -> connection.goAway(g);
      case Frame.HelloOk ok -> connection.fail("protocol error: unexpected HELLO_OK");
      // Sent by agents only; a server that echoes them is ignored like a late frame.
      case Frame.OpenOk ok ->
          log.debug(() -> "ignored OPEN_OK from the server on stream " + ok.streamId());
      case Frame.OpenFail of ->
          log.debug(() -> "ignored OPEN_FAIL from the server on stream " + of.streamId());
      case Frame.Hello h -> connection.fail("protocol error: unexpected HELLO");
    }
  }

  private void accept(Frame.HelloOk ok) {
    int max = ok.maxFramePayload();
    if (max < FrameCodec.MIN_MAX_PAYLOAD || max > FrameCodec.MAX_MAX_PAYLOAD) {
      connection.fail("protocol error: HELLO_OK max frame payload " + max + " unsupported");
      return;
    }
    codec = new FrameCodec(max);
    connection.useCodec(codec);
    initialWindow = ok.initialWindow();
    authenticated = true;
    log.info("connected to " + options.server() + " as agent " + options.agentId());
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
    if (connection.goingAway()) {
      send(new Frame.OpenFail(id, Frame.OpenFail.GENERAL, "agent is disconnecting"));
      return;
    }
    if (streams.size() >= options.maxStreams()) {
      log.debug(() -> "stream " + id + " refused: " + options.maxStreams() + " streams open");
      send(new Frame.OpenFail(id, Frame.OpenFail.GENERAL, "too many streams"));
      return;
    }
    AgentStream s =
        new AgentStream(id, host, port, initialWindow, codec.maxPayload(), this, direct);
    streams.put(id, s);
    log.debug(
        () -> "stream " + id + (direct == null ? " OPEN " : " OPEN_DIRECT ") + host + ":" + port);
    s.start(connector);
  }

  /** The connection is gone: drops every stream without sending anything. */
  void abortAll() {
    for (AgentStream st : streams.values()) {
      st.abort();
    }
    streams.clear();
  }

  /** Streams in the table (tests). */
  int streamCount() {
    return streams.size();
  }

  // ------------------------------------------------------------------ AgentStream.Host

  @Override
  public void send(Frame f) {
    connection.send(f);
  }

  @Override
  public void removed(AgentStream s) {
    streams.remove(s.id, s);
  }

  @Override
  public AgentLog log() {
    return log;
  }

  @Override
  public Socket dialDirect(Frame.OpenDirect offer) {
    return dialer.dial(offer);
  }
}
