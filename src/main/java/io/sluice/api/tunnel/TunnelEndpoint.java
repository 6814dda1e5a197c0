package io.sluice.api.tunnel;

import io.sluice.app.AgentConnections;
import io.sluice.app.AgentService;
import io.sluice.app.audit.AuditService;
import io.sluice.engine.tunnel.DecodeResult;
import io.sluice.engine.tunnel.FlowControl;
import io.sluice.engine.tunnel.Frame;
import io.sluice.engine.tunnel.FrameCodec;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.metrics.MetricRegistry;

/**
 * The agents' WebSocket ({@code /tunnel}, binary frames of protocol version 1). So far it
 * authenticates agents (HELLO with agent id and token; a wrong token is refused after a short
 * delay, counted and audited), answers HELLO_OK and PING, keeps one connection per agent, and
 * drops an agent's connection at once when the agent is disabled or deleted. Streams (OPEN, DATA,
 * ...) are not relayed yet.
 */
@ServerEndpoint("/tunnel")
@Dependent
public class TunnelEndpoint {

  private static final Logger LOG = Logger.getLogger(TunnelEndpoint.class.getName());
  private static final long AUTH_FAILURE_DELAY_MS = 300;

  @Inject AgentService agents;
  @Inject AuditService audit;
  @Inject MetricRegistry metrics;

  private final FrameCodec codec = new FrameCodec();
  private volatile long agentId = -1;
  private volatile Consumer<String> closer;

  @OnOpen
  public void open(Session session) {
    // Larger than any valid frame, so the codec (not the container) answers oversize with 1009.
    session.setMaxBinaryMessageBufferSize(4 * FrameCodec.DEFAULT_MAX_PAYLOAD);
  }

  @OnMessage
  public void message(ByteBuffer message, Session session) {
    DecodeResult result = codec.decode(message, agentId >= 0);
    if (result instanceof DecodeResult.Error e) {
      close(session, e.closeCode(), e.reason());
      return;
    }
    Frame frame = ((DecodeResult.Ok) result).frame();
    if (agentId < 0) {
      hello((Frame.Hello) frame, session);
      return;
    }
    if (frame instanceof Frame.Ping ping) {
      send(session, new Frame.Pong(ping.opaque()));
    } else if (frame instanceof Frame.GoAway) {
      close(session, CloseReason.CloseCodes.NORMAL_CLOSURE.getCode(), "goaway");
    } else if (LOG.isLoggable(Level.FINE)) {
      LOG.fine("agent " + agentId + ": ignoring " + frame.getClass().getSimpleName() + " (streams not relayed yet)");
    }
  }

  private void hello(Frame.Hello hello, Session session) {
    if (hello.version() != Frame.PROTOCOL_VERSION) {
      send(session, new Frame.GoAway("unsupported protocol version " + hello.version()));
      close(session, DecodeResult.PROTOCOL_ERROR, "unsupported protocol version");
      return;
    }
    long id;
    try {
      id = Long.parseLong(hello.agentId());
    } catch (NumberFormatException e) {
      id = -1;
    }
    if (id < 0 || !agents.authenticate(id, hello.token())) {
      metrics.counter("sluice_tunnel_auth_failures").inc();
      audit.recordQuietly("agent:" + hello.agentId(), "tunnel.auth", "agent:" + hello.agentId(), "failure",
          "wrong token, unknown or disabled agent");
      LOG.log(Level.INFO, "SLUICE0400I: tunnel agent {0} refused: authentication failed", hello.agentId());
      try {
        Thread.sleep(AUTH_FAILURE_DELAY_MS); // slows down token guessing
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
      }
      close(session, DecodeResult.POLICY_VIOLATION, "authentication failed");
      return;
    }
    agentId = id;
    long connectedId = id;
    closer = reason -> close(session, DecodeResult.POLICY_VIOLATION, reason);
    AgentConnections.connected(id, closer);
    send(session, new Frame.HelloOk(FlowControl.DEFAULT_INITIAL_WINDOW, codec.maxPayload()));
    audit.recordQuietly("agent:" + connectedId, "tunnel.connect", "agent:" + connectedId, "success",
        "version " + hello.softwareVersion());
    LOG.log(Level.INFO, "SLUICE0401I: tunnel agent {0} connected (software {1})",
        new Object[] {connectedId, hello.softwareVersion()});
  }

  @OnClose
  public void closed(Session session, CloseReason reason) {
    if (agentId >= 0) {
      AgentConnections.disconnected(agentId, closer);
      LOG.log(Level.INFO, "SLUICE0402I: tunnel agent {0} disconnected: {1}",
          new Object[] {agentId, reason.getReasonPhrase()});
    }
  }

  @OnError
  public void error(Session session, Throwable t) {
    LOG.log(Level.FINE, "tunnel connection error", t);
  }

  private void send(Session session, Frame frame) {
    try {
      session.getBasicRemote().sendBinary(codec.encode(frame));
    } catch (IOException e) {
      LOG.log(Level.FINE, "tunnel send failed: {0}", e.getMessage());
    }
  }

  private static void close(Session session, int code, String reason) {
    try {
      if (session.isOpen()) {
        session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code), reason));
      }
    } catch (IOException e) {
      LOG.log(Level.FINE, "tunnel close failed: {0}", e.getMessage());
    }
  }
}
