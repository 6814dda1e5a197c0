package io.sluice.tor.domain;

/**
 * The live proxy sessions of this server, as the fleet needs them to drain a node: how many use a
 * given exit now (implemented by the gateway, which runs the proxy engine).
 */
public interface LiveSessions {

  /** How many live sessions of this server leave through the exit named {@code exitName}. */
  int onExit(String exitName);
}
