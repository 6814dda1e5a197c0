package io.sluice.tunnels.api;

import io.sluice.audit.app.AuditService;
import io.sluice.engine.mux.TunnelMux;
import io.sluice.engine.tunnel.DecodeResult;
import io.sluice.engine.tunnel.Frame;
import io.sluice.engine.tunnel.FrameCodec;
import io.sluice.tunnels.app.AgentConnections;
import io.sluice.tunnels.app.AgentService;
import io.sluice.tunnels.app.TunnelSettings;
import io.sluice.tunnels.domain.TunnelAgentEvent;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.metrics.MetricRegistry;

/**
 * The agents' WebSocket ({@code /tunnel}, binary frames of protocol version 1, see
 * docs/tunnel-protocol.md). An agent must send HELLO within {@code sluice.tunnel.hello-timeout} (10
 * s); a wrong token is refused after a short delay, counted and audited. Once authenticated the
 * agent gets HELLO_OK and a {@link TunnelMux} that carries the streams of its mappings' public
 * ports; one connection per agent, and disabling or deleting the agent drops it at once. Frames to
 * the agent are queued and sent by one sender thread per connection (from the engine's
 * ManagedThreadFactory), so no event-loop thread ever blocks on the WebSocket.
 */
@ServerEndpoint(value = "/tunnel", configurator = TunnelHandshake.class)
@Dependent
public class TunnelEndpoint {

  private static final Logger LOG = System.getLogger(TunnelEndpoint.class.getName());
  private static final long AUTH_FAILURE_DELAY_MS = 300;

  @Inject AgentService agents;
  @Inject AgentConnections connections;
  @Inject io.sluice.tunnels.app.AgentPlacement placement;
  @Inject AuditService audit;
  @Inject MetricRegistry metrics;
  @Inject TunnelSettings settings;
  @Inject io.sluice.tunnels.app.TunnelRouting routing;
  @Inject Event<TunnelAgentEvent> events;
  @Resource ManagedScheduledExecutorService scheduler;

  @Resource(lookup = "concurrent/sluiceEngineThreads")
  ManagedThreadFactory threads;

  private FrameCodec codec;

  /** Before authentication only a HELLO (at most 393 payload bytes) is valid: a small limit. */
  private static final FrameCodec HELLO_CODEC = new FrameCodec(FrameCodec.MIN_MAX_PAYLOAD);

  private volatile AgentConnections.Link link;
  private volatile boolean refused;
  private volatile FrameQueue out;
  private ScheduledFuture<?> helloDeadline;
  private volatile ScheduledFuture<?> heartbeat;

  @OnOpen
  public void open(Session session) {
    codec = new FrameCodec(settings.maxFramePayload());
    // Larger than any valid frame, so the codec (not the container) answers oversize with 1009.
    session.setMaxBinaryMessageBufferSize(4 * codec.maxPayload());
    // DATA waits here only within credit (streams x window); the rest is slack for control frames
    out =
        new FrameQueue(
            session,
            threads,
            (long) settings.maxStreamsPerAgent() * (settings.initialWindow() + 4096L) + (4L << 20));
    helloDeadline =
        scheduler.schedule(
            () -> {
              if (link == null && session.isOpen()) {
                LOG.log(
                    Level.INFO,
                    "SLUICE0403I: tunnel connection from {0} closed: no HELLO within {1} s",
                    new Object[] {
                      TunnelHandshake.remoteAddress(session), settings.helloTimeoutSeconds()
                    });
                close(session, DecodeResult.POLICY_VIOLATION, "no HELLO in time");
              }
            },
            settings.helloTimeoutSeconds(),
            TimeUnit.SECONDS);
  }

  @OnMessage
  public void message(ByteBuffer message, Session session) {
    if (refused) {
      return;
    }
    AgentConnections.Link current = link;
    DecodeResult result =
        current != null ? codec.decode(message, true) : HELLO_CODEC.decode(message, false);
    if (result instanceof DecodeResult.Error e) {
      LOG.log(
          Level.INFO,
          "SLUICE0404I: tunnel connection of agent {0} closed: {1} ({2})",
          new Object[] {
            current == null ? "(unauthenticated)" : String.valueOf(current.agentId()),
            e.reason(),
            String.valueOf(e.closeCode())
          });
      close(session, e.closeCode(), e.reason());
      return;
    }
    Frame frame = ((DecodeResult.Ok) result).frame();
    if (current == null) {
      hello((Frame.Hello) frame, session);
      return;
    }
    current.seen();
    switch (frame) {
      case Frame.Ping ping -> out.send(codec.encode(new Frame.Pong(ping.opaque())));
      case Frame.Pong pong -> {}
      case Frame.GoAway goAway ->
          close(session, CloseReason.CloseCodes.NORMAL_CLOSURE.getCode(), "goaway");
      case Frame.HelloOk ok -> close(session, DecodeResult.PROTOCOL_ERROR, "unexpected HELLO_OK");
      default -> {
        if (!current.mux().onFrame(frame)) {
          close(
              session,
              DecodeResult.PROTOCOL_ERROR,
              "agents may not send " + frame.getClass().getSimpleName());
        }
      }
    }
  }

  private void hello(Frame.Hello hello, Session session) {
    cancelDeadline();
    if (hello.version() != Frame.PROTOCOL_VERSION) {
      out.send(codec.encode(new Frame.GoAway("unsupported protocol version " + hello.version())));
      close(session, DecodeResult.PROTOCOL_ERROR, "unsupported protocol version");
      return;
    }
    long id;
    try {
      id = Long.parseLong(hello.agentId());
    } catch (NumberFormatException e) {
      id = -1;
    }
    String remote = TunnelHandshake.remoteAddress(session);
    if (id < 0 || !agents.authenticate(id, hello.token())) {
      metrics.counter("sluice_tunnel_auth_failures").inc();
      audit.recordQuietly(
          "agent:" + hello.agentId(),
          "tunnel.auth",
          "agent:" + hello.agentId(),
          "failure",
          "wrong token, unknown or disabled agent; from " + remote);
      LOG.log(
          Level.INFO,
          "SLUICE0400I: tunnel agent {0} from {1} refused: authentication failed",
          new Object[] {hello.agentId(), remote});
      fire(TunnelAgentEvent.Kind.REFUSED, hello.agentId(), remote, "authentication failed");
      // Refused after a short delay (slows down token guessing) without holding a container
      // thread; anything the peer sends meanwhile is ignored.
      refused = true;
      scheduler.schedule(
          () -> {
            out.send(codec.encode(new Frame.GoAway("authentication failed")));
            close(session, DecodeResult.POLICY_VIOLATION, "authentication failed");
          },
          AUTH_FAILURE_DELAY_MS,
          TimeUnit.MILLISECONDS);
      return;
    }
    io.sluice.engine.mux.DirectStreams direct =
        TunnelHandshake.features(session).contains("direct") ? routing.directStreams() : null;
    TunnelMux mux =
        new TunnelMux(
            id,
            out,
            settings.initialWindow(),
            codec.maxPayload(),
            settings.maxStreamsPerAgent(),
            direct);
    AgentConnections.Link l =
        new AgentConnections.Link(
            id,
            mux,
            reason -> close(session, DecodeResult.POLICY_VIOLATION, reason),
            remote,
            hello.softwareVersion());
    link = l;
    connections.connected(l);
    placeQuietly(id, true);
    out.send(codec.encode(new Frame.HelloOk(settings.initialWindow(), codec.maxPayload())));
    long interval = settings.pingIntervalSeconds();
    heartbeat =
        scheduler.scheduleAtFixedRate(
            () -> heartbeat(l, session), interval, interval, TimeUnit.SECONDS);
    audit.recordQuietly(
        "agent:" + id,
        "tunnel.connect",
        "agent:" + id,
        "success",
        "from " + remote + ", software " + hello.softwareVersion());
    LOG.log(
        Level.INFO,
        "SLUICE0401I: tunnel agent {0} connected from {1} (software {2})",
        new Object[] {String.valueOf(id), remote, hello.softwareVersion()});
    fire(TunnelAgentEvent.Kind.CONNECTED, String.valueOf(id), remote, hello.softwareVersion());
  }

  /**
   * PINGs the agent every interval; an agent silent for 3 intervals (a dead peer whose TCP
   * connection never reported an error, e.g. after a network drop) is disconnected, so its mappings
   * refuse at once instead of hanging until TCP gives up.
   */
  private void heartbeat(AgentConnections.Link l, Session session) {
    long silentMs = System.currentTimeMillis() - l.lastSeen().toEpochMilli();
    if (silentMs > 3_000L * settings.pingIntervalSeconds()) {
      LOG.log(
          Level.INFO,
          "SLUICE0405I: tunnel agent {0} silent for {1} s; closing its connection",
          new Object[] {String.valueOf(l.agentId()), String.valueOf(silentMs / 1000)});
      close(session, CloseReason.CloseCodes.GOING_AWAY.getCode(), "heartbeat timeout");
      return;
    }
    out.send(codec.encode(new Frame.Ping(System.nanoTime())));
  }

  @OnClose
  public void closed(Session session, CloseReason reason) {
    FrameQueue q = out;
    if (q != null) {
      q.stop();
    }
    cancelDeadline();
    ScheduledFuture<?> h = heartbeat;
    if (h != null) {
      h.cancel(false);
    }
    AgentConnections.Link l = link;
    if (l != null) {
      l.mux().connectionClosed();
      connections.disconnected(l);
      if (!connections.isConnected(l.agentId())) { // not replaced by a newer connection here
        placeQuietly(l.agentId(), false);
      }
      String why = reason.getCloseCode().getCode() + " " + reason.getReasonPhrase();
      audit.recordQuietly(
          "agent:" + l.agentId(), "tunnel.disconnect", "agent:" + l.agentId(), "success", why);
      LOG.log(
          Level.INFO,
          "SLUICE0402I: tunnel agent {0} disconnected: {1}",
          new Object[] {String.valueOf(l.agentId()), why});
      fire(TunnelAgentEvent.Kind.DISCONNECTED, String.valueOf(l.agentId()), l.remoteAddress(), why);
    }
  }

  @OnError
  public void error(Session session, Throwable t) {
    LOG.log(Level.DEBUG, "tunnel connection error", t);
  }

  private void fire(TunnelAgentEvent.Kind kind, String agentId, String remote, String detail) {
    try {
      events.fire(new TunnelAgentEvent(kind, agentId, remote, detail, java.time.Instant.now()));
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "tunnel event observer failed", e); // never breaks the connection
    }
  }

  /**
   * Records where the agent is connected, so only this node binds its public ports; when the
   * database cannot take it, the next refresh of the proxy host writes it ({@code
   * AgentPlacement#snapshot}).
   */
  private void placeQuietly(long agentId, boolean connected) {
    try {
      if (connected) {
        placement.connectedHere(agentId);
      } else {
        placement.disconnectedHere(agentId);
      }
    } catch (RuntimeException e) {
      LOG.log(
          Level.WARNING,
          "SLUICE0717W: cannot record that tunnel agent {0} {1} this node (the next refresh"
              + " retries): {2}",
          new Object[] {
            String.valueOf(agentId), connected ? "connected to" : "left", e.getMessage()
          });
    }
  }

  private void cancelDeadline() {
    ScheduledFuture<?> d = helloDeadline;
    if (d != null) {
      d.cancel(false);
    }
  }

  static void close(Session session, int code, String reason) {
    try {
      if (session.isOpen()) {
        session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code), reason));
      }
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.DEBUG, "tunnel close failed: {0}", e.getMessage());
    }
  }
}
