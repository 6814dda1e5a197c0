package io.sluice.exits.domain;

import java.net.InetAddress;
import java.util.Locale;
import java.util.Set;

/**
 * The exit to probe (the input of {@link ExitProber#probe}).
 *
 * @param kind {@code direct}, {@code socks5} or {@code http} (case-insensitive, stored lower-case)
 * @param host the proxy host (socks5/http; ignored for direct)
 * @param port the proxy port (socks5/http; ignored for direct)
 * @param username proxy username, or {@code null}/empty for no authentication
 * @param password proxy password ({@code null} means empty when a username is given); never printed
 * @param localAddress source address to bind the outgoing connection to, or {@code null}
 */
public record ProbeTarget(
    String kind,
    String host,
    int port,
    String username,
    String password,
    InetAddress localAddress) {

  static final Set<String> KINDS = Set.of("direct", "socks5", "http", "tor");

  public ProbeTarget {
    if (kind == null || !KINDS.contains(kind.toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException(
          "unknown exit kind '" + kind + "'; valid: direct, socks5, http, tor");
    }
    kind = kind.toLowerCase(Locale.ROOT);
    if (!kind.equals("direct")) {
      if (host == null || host.isBlank()) {
        throw new IllegalArgumentException(kind + " exit needs a host");
      }
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException(kind + " exit port out of range: " + port);
      }
    }
  }

  /** Whether proxy credentials are given (a non-empty username). */
  public boolean hasCredentials() {
    return username != null && !username.isEmpty();
  }

  /** The password, never {@code null}. */
  public String passwordOrEmpty() {
    return password == null ? "" : password;
  }

  @Override
  public String toString() {
    return "ProbeTarget[kind="
        + kind
        + ", host="
        + host
        + ", port="
        + port
        + ", username="
        + username
        + ", password="
        + (password == null ? "null" : "***")
        + ", localAddress="
        + localAddress
        + "]";
  }
}
