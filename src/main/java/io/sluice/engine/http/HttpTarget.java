package io.sluice.engine.http;

import io.sluice.engine.net.DestinationGate;
import io.sluice.engine.net.HostNames;
import io.sluice.engine.spi.Destination;

/**
 * Request targets a proxy accepts (RFC 9112 section 3.2): authority-form for CONNECT ({@code
 * host:port}) and absolute-form {@code http://host[:port]/path?query} for forwarding. Origin-form
 * and other schemes are not accepted (the caller answers 400).
 *
 * @param destination host and port to connect to
 * @param authority the authority as it should appear in the forwarded Host header
 * @param originForm path and query for the forwarded request line ({@code /} when empty)
 */
public record HttpTarget(Destination destination, String authority, String originForm) {

  /** Parses authority-form; {@code null} when invalid. The port is required. */
  public static HttpTarget authorityForm(String uri) {
    Destination d = parseAuthority(uri, -1);
    return d == null ? null : new HttpTarget(d, uri, null);
  }

  /** Parses absolute-form with scheme http; {@code null} when invalid or another form. */
  public static HttpTarget absoluteForm(String uri) {
    if (uri.length() < 8 || !uri.regionMatches(true, 0, "http://", 0, 7)) {
      return null;
    }
    String rest = uri.substring(7);
    int end = rest.length();
    for (int i = 0; i < rest.length(); i++) {
      char c = rest.charAt(i);
      if (c == '/' || c == '?' || c == '#') {
        end = i;
        break;
      }
    }
    String authority = rest.substring(0, end);
    if (authority.indexOf('@') >= 0) {
      return null; // userinfo is not allowed in http URIs sent to a proxy
    }
    Destination d = parseAuthority(authority, 80);
    if (d == null) {
      return null;
    }
    String path = rest.substring(end);
    int hash = path.indexOf('#');
    if (hash >= 0) {
      path = path.substring(0, hash);
    }
    if (path.isEmpty() || path.charAt(0) == '?') {
      path = "/" + path;
    }
    return new HttpTarget(d, authority, path);
  }

  private static Destination parseAuthority(String authority, int defaultPort) {
    String host;
    String port = null;
    if (authority.startsWith("[")) {
      int close = authority.indexOf(']');
      if (close < 0) {
        return null;
      }
      host = authority.substring(1, close);
      String after = authority.substring(close + 1);
      if (!after.isEmpty()) {
        if (!after.startsWith(":")) {
          return null;
        }
        port = after.substring(1);
      }
      if (DestinationGate.parseLiteral(host) == null) {
        return null;
      }
    } else {
      int colon = authority.lastIndexOf(':');
      if (colon >= 0) {
        host = authority.substring(0, colon);
        port = authority.substring(colon + 1);
      } else {
        host = authority;
      }
      if (host.indexOf(':') >= 0
          || (DestinationGate.parseLiteral(host) == null && !HostNames.isValid(host))) {
        return null;
      }
    }
    int p;
    if (port == null || port.isEmpty()) {
      if (defaultPort < 0) {
        return null;
      }
      p = defaultPort;
    } else {
      if (port.length() > 5 || !port.chars().allMatch(Character::isDigit)) {
        return null;
      }
      p = Integer.parseInt(port);
      if (p < 1 || p > 65535) {
        return null;
      }
    }
    return new Destination(host, p);
  }
}
