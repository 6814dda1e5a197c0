package io.sluice.tunnels.api;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.annotation.WebFilter;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.Session;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;

/**
 * Records the agent's remote address for the tunnel endpoint: Jakarta WebSocket has no API for it,
 * so a servlet filter on {@code /tunnel} holds the request's address for the upgrading thread and
 * the configurator copies it into the session's user properties (which are a per-session copy since
 * WebSocket 2.1). "unknown" when the container upgrades on another thread.
 */
public class TunnelHandshake extends ServerEndpointConfig.Configurator {

  static final String REMOTE = "sluice.remoteAddress";
  static final String FEATURES = "sluice.features";

  /** Upgrade request header in which an agent lists the protocol extensions it takes. */
  static final String FEATURES_HEADER = "Sluice-Tunnel-Features";

  private static final ThreadLocal<String> UPGRADING = new ThreadLocal<>();

  @Override
  public void modifyHandshake(
      ServerEndpointConfig config, HandshakeRequest request, HandshakeResponse response) {
    String remote = UPGRADING.get();
    if (remote != null) {
      config.getUserProperties().put(REMOTE, remote);
    }
    java.util.Set<String> features = new java.util.HashSet<>();
    request
        .getHeaders()
        .forEach((name, values) -> {
          if (FEATURES_HEADER.equalsIgnoreCase(name) && values != null) {
            for (String v : values) {
              for (String f : v.split(",")) {
                if (!f.isBlank()) {
                  features.add(f.strip().toLowerCase(java.util.Locale.ROOT));
                }
              }
            }
          }
        });
    config.getUserProperties().put(FEATURES, java.util.Set.copyOf(features));
  }

  /** The extensions the agent announced at the upgrade (lower case), e.g. {@code direct}. */
  @SuppressWarnings("unchecked")
  static java.util.Set<String> features(Session session) {
    Object f = session.getUserProperties().get(FEATURES);
    return f instanceof java.util.Set<?> s ? (java.util.Set<String>) s : java.util.Set.of();
  }

  static String remoteAddress(Session session) {
    Object remote = session.getUserProperties().get(REMOTE);
    return remote == null ? "unknown" : remote.toString();
  }

  /** Holds the remote address of {@code /tunnel} requests while they are upgraded. */
  @WebFilter(urlPatterns = "/tunnel", asyncSupported = true)
  public static class RemoteAddressFilter implements Filter {
    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
        throws IOException, ServletException {
      UPGRADING.set(req.getRemoteAddr());
      try {
        chain.doFilter(req, res);
      } finally {
        UPGRADING.remove();
      }
    }
  }
}
