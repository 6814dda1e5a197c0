package io.sluice.engine.spi;

/**
 * Verdict of the destination policy for one resolved address and port.
 *
 * @param allowed whether the connection (or datagram) may proceed
 * @param reason a short machine-readable reason such as {@code loopback}, {@code private}, {@code
 *     ipv4-mapped}, {@code allow-list}; for logs and metrics
 */
public record PolicyDecision(boolean allowed, String reason) {

  public static PolicyDecision allow(String reason) {
    return new PolicyDecision(true, reason);
  }

  public static PolicyDecision deny(String reason) {
    return new PolicyDecision(false, reason);
  }
}
