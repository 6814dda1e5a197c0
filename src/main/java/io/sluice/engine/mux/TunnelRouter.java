package io.sluice.engine.mux;

import io.sluice.engine.spi.ConnectionInfo;

/**
 * Decides what happens to a connection accepted on a tunnel listener ({@link
 * io.sluice.engine.config.ListenerKind#TUNNEL}): relay it through an agent's connection or refuse
 * it. Called on an event-loop thread for every new connection: must be fast and must not block.
 */
@FunctionalInterface
public interface TunnelRouter {

  TunnelRoute route(ConnectionInfo connection);

  /** Refuses everything (no tunnels configured). */
  TunnelRouter NONE = c -> new TunnelRoute.Refuse("no_mapping");
}
