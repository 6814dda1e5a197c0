package io.sluice.exports.domain;

import java.util.Objects;

/**
 * One line of a proxy list.
 *
 * <p>{@code host} is a host name, an IPv4 address or a bare IPv6 literal; a bracketed IPv6 literal
 * ({@code [2001:db8::1]}) is accepted and stored without brackets. It must not be blank or contain
 * whitespace, control characters or brackets. {@code port} is 1..65535; {@code scheme} is {@code
 * socks5} or {@code http} (lower case). {@code username} and {@code password} must not be null
 * (they may be empty); {@code label} (user name, pool or note) may be null.
 *
 * <p>{@link #toString()} masks the password.
 */
public record ProxyEntry(
    String host, int port, String username, String password, String scheme, String label) {

  public ProxyEntry {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(scheme, "scheme");
    if (host.length() > 2
        && host.charAt(0) == '['
        && host.charAt(host.length() - 1) == ']'
        && host.indexOf(':') > 0) {
      host = host.substring(1, host.length() - 1);
    }
    if (host.isEmpty()) {
      throw new IllegalArgumentException("host must not be empty");
    }
    for (int i = 0; i < host.length(); i++) {
      char c = host.charAt(i);
      if (Character.isWhitespace(c)
          || Character.isISOControl(c)
          || Character.isSpaceChar(c)
          || c == '['
          || c == ']') {
        throw new IllegalArgumentException("host contains a forbidden character at index " + i);
      }
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1..65535, was " + port);
    }
    if (!scheme.equals("socks5") && !scheme.equals("http")) {
      throw new IllegalArgumentException("scheme must be socks5 or http");
    }
  }

  /** True when the host is an IPv6 literal (contains a colon), which TXT writes in brackets. */
  boolean ipv6Host() {
    return host.indexOf(':') >= 0;
  }

  @Override
  public String toString() {
    return "ProxyEntry[host="
        + host
        + ", port="
        + port
        + ", username="
        + username
        + ", password=***, scheme="
        + scheme
        + ", label="
        + label
        + "]";
  }
}
