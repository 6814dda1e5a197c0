package io.sluice.engine.spi;

/**
 * A destination as the client named it (RFC 1928 DST.ADDR / DST.PORT, or an HTTP authority).
 *
 * @param host a domain name or an IP literal, unresolved
 * @param port 0-65535
 */
public record Destination(String host, int port) {

  public Destination {
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException("host must not be empty");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
  }

  @Override
  public String toString() {
    return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
  }
}
