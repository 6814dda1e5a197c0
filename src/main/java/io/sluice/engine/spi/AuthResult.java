package io.sluice.engine.spi;

/** Outcome of an authentication attempt: a result, never an exception into the I/O loop. */
public sealed interface AuthResult {

  /** The credentials (or the source address) were accepted. */
  record Accepted(ProxyPrincipal principal) implements AuthResult {}

  /** The attempt was refused. {@code reason} is for logs and metrics only; clients never see it. */
  record Rejected(String reason) implements AuthResult {}

  static AuthResult accepted(ProxyPrincipal principal) {
    return new Accepted(principal);
  }

  static AuthResult rejected(String reason) {
    return new Rejected(reason);
  }
}
