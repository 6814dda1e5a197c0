package io.sluice.tunnels.domain;

import java.time.Instant;

/**
 * An agent's tunnel connection came up, went down or was refused, for alerting (fired as a CDI
 * event; every such event is also in the audit log as {@code tunnel.connect}, {@code
 * tunnel.disconnect} or {@code tunnel.auth}).
 */
public record TunnelAgentEvent(
    Kind kind, String agentId, String remoteAddress, String detail, Instant at) {

  public enum Kind {
    CONNECTED,
    DISCONNECTED,
    REFUSED
  }
}
