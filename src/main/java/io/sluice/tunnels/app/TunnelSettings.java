package io.sluice.tunnels.app;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Configuration of reverse tunnels (MicroProfile Config; env {@code SLUICE_TUNNEL_*}). */
@ApplicationScoped
public class TunnelSettings {

  @Inject
  @ConfigProperty(name = "sluice.tunnel.bind")
  Optional<String> bind;

  @Inject
  @ConfigProperty(name = "sluice.proxy.bind", defaultValue = "127.0.0.1")
  String proxyBind;

  @Inject
  @ConfigProperty(name = "sluice.tunnel.hello-timeout-seconds", defaultValue = "10")
  int helloTimeoutSeconds;

  @Inject
  @ConfigProperty(name = "sluice.tunnel.initial-window", defaultValue = "262144")
  int initialWindow;

  @Inject
  @ConfigProperty(name = "sluice.tunnel.max-streams-per-agent", defaultValue = "256")
  int maxStreamsPerAgent;

  @Inject
  @ConfigProperty(name = "sluice.tunnel.ping-interval-seconds", defaultValue = "30")
  int pingIntervalSeconds;

  @Inject
  @ConfigProperty(name = "sluice.tunnel.max-frame-payload", defaultValue = "65536")
  int maxFramePayload;

  @Inject
  @ConfigProperty(name = "sluice.tunnel.direct-port", defaultValue = "0")
  int directPort;

  @Inject
  @ConfigProperty(name = "sluice.tunnel.direct-bind")
  Optional<String> directBind;

  /**
   * TCP port for direct streams' data connections; 0 (default) = off, streams use the WebSocket.
   */
  public int directPort() {
    return directPort < 0 || directPort > 65535 ? 0 : directPort;
  }

  /**
   * Address the direct data port binds to: {@code sluice.tunnel.direct-bind}, else {@link #bind()}.
   */
  public String directBind() {
    return directBind.filter(s -> !s.isBlank()).orElse(bind());
  }

  /**
   * Address the public ports bind to: {@code sluice.tunnel.bind}, else {@code sluice.proxy.bind}.
   */
  public String bind() {
    return bind.filter(s -> !s.isBlank()).orElse(proxyBind);
  }

  public int helloTimeoutSeconds() {
    return Math.max(1, helloTimeoutSeconds);
  }

  /** Per-stream credit in each direction (bytes), announced in HELLO_OK. */
  public int initialWindow() {
    return Math.max(4096, initialWindow);
  }

  /**
   * Largest DATA payload per frame (= WebSocket message), announced in HELLO_OK; 512 B to 16 MiB.
   */
  public int maxFramePayload() {
    return Math.max(
        io.sluice.engine.tunnel.FrameCodec.MIN_MAX_PAYLOAD,
        Math.min(io.sluice.engine.tunnel.FrameCodec.MAX_MAX_PAYLOAD, maxFramePayload));
  }

  /** The server PINGs each agent this often; 3 silent intervals disconnect it. */
  public int pingIntervalSeconds() {
    return Math.max(1, pingIntervalSeconds);
  }

  /** Streams open at a time per agent; with the window this bounds buffering per agent. */
  public int maxStreamsPerAgent() {
    return Math.max(1, maxStreamsPerAgent);
  }
}
