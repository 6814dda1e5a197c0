package io.sluice.engine.spi;

import java.time.Instant;

/** A read-only view of a live proxy session (for the sessions API and events). */
public interface SessionView {

  String id();

  ProxyPrincipal principal();

  ConnectionInfo connection();

  /**
   * {@code socks5-connect}, {@code socks5-bind}, {@code socks5-udp}, {@code socks4}, {@code
   * http-connect}, {@code http-forward}.
   */
  String protocol();

  Destination destination();

  ExitRoute exit();

  long bytesUp();

  long bytesDown();

  Instant startedAt();
}
