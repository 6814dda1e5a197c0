package io.sluice.engine.spi;

import java.util.concurrent.CompletionStage;

/**
 * Who is this? Called once per proxy session during the handshake. Implementations may block (a
 * database lookup behind a cache) only on their own executor: the returned stage is completed off
 * the event loop and the engine resumes the handshake when it completes.
 */
public interface Authenticator {

  /**
   * Username/password authentication (RFC 1929 for SOCKS5, {@code Proxy-Authorization: Basic} for
   * HTTP). The username may carry routing parameters; the implementation parses them.
   */
  CompletionStage<AuthResult> authenticate(
      ConnectionInfo connection, String username, String password);

  /**
   * Authentication by source address alone (global or per-user CIDR whitelist). Used when the
   * client offers no credentials (SOCKS5 method X'00', SOCKS4, HTTP without Proxy-Authorization).
   */
  CompletionStage<AuthResult> authenticateBySource(ConnectionInfo connection);

  /** An authenticator that accepts everyone as anonymous; for tests and auth-less listeners. */
  static Authenticator allowAll() {
    return new Authenticator() {
      @Override
      public CompletionStage<AuthResult> authenticate(ConnectionInfo c, String u, String p) {
        return java.util.concurrent.CompletableFuture.completedFuture(
            AuthResult.accepted(ProxyPrincipal.anonymous()));
      }

      @Override
      public CompletionStage<AuthResult> authenticateBySource(ConnectionInfo c) {
        return java.util.concurrent.CompletableFuture.completedFuture(
            AuthResult.accepted(ProxyPrincipal.anonymous()));
      }
    };
  }
}
