package io.sluice.engine.policy;

import java.net.InetAddress;
import java.util.Objects;

/**
 * One parsed {@code CIDR:PORTS} entry of an allow or deny list.
 *
 * <p>Grammar (whitespace around the parts is tolerated):
 *
 * <pre>
 *   entry = cidr ":" ports
 *   cidr  = ipv4 [ "/" 0-32 ]  |  "[" ipv6 "]" [ "/" 0-128 ]     (bare address = /32 or /128)
 *   ports = "*"  |  port  |  port "-" port                        (port = 0-65535, lo &lt;= hi)
 * </pre>
 *
 * Examples: {@code 127.0.0.1/32:8000-8999}, {@code 10.0.0.0/8:443}, {@code [::1]/128:*}, {@code
 * 0.0.0.0/0:25}. IPv6 must be bracketed because its colons would be ambiguous with the port
 * separator. {@code *} means 0-65535 (port 0 itself is always refused by the destination policy).
 * See {@link Cidr} for what addresses are rejected.
 *
 * <p>Immutable; {@link #toString()} is canonical and {@code parse(rule.toString())} equals the
 * rule.
 */
public final class CidrPortRule {

  private final Cidr cidr;
  private final int portFrom;
  private final int portTo;

  /**
   * @throws IllegalArgumentException when the port range is outside 0-65535 or reversed
   */
  public CidrPortRule(Cidr cidr, int portFrom, int portTo) {
    this.cidr = Objects.requireNonNull(cidr, "cidr");
    if (portFrom < 0 || portTo > 65535 || portFrom > portTo) {
      throw new IllegalArgumentException("bad port range " + portFrom + "-" + portTo);
    }
    this.portFrom = portFrom;
    this.portTo = portTo;
  }

  /**
   * Parses one entry.
   *
   * @throws IllegalArgumentException whose message quotes the entry and says what is wrong
   */
  public static CidrPortRule parse(String entry) {
    if (entry == null || entry.isBlank()) {
      throw new IllegalArgumentException("empty entry (expected CIDR:PORTS, e.g. 10.0.0.0/8:443)");
    }
    String e = entry.strip();
    String cidrText;
    String portText;
    if (e.charAt(0) == '[') {
      int close = e.indexOf(']');
      if (close < 0) {
        throw bad(entry, "missing ']' after IPv6 address");
      }
      int colon = e.indexOf(':', close);
      if (colon < 0) {
        throw bad(entry, "missing ':PORTS' (use :* for all ports)");
      }
      cidrText = e.substring(0, colon);
      portText = e.substring(colon + 1);
    } else {
      int colon = e.indexOf(':');
      if (colon < 0) {
        throw bad(entry, "missing ':PORTS' (use :* for all ports)");
      }
      if (e.indexOf(':', colon + 1) >= 0) {
        throw bad(entry, "IPv6 addresses must be written in brackets, e.g. [2001:db8::]/32:443");
      }
      cidrText = e.substring(0, colon);
      portText = e.substring(colon + 1);
    }
    Cidr cidr;
    try {
      cidr = Cidr.parse(cidrText);
    } catch (IllegalArgumentException ex) {
      throw new IllegalArgumentException("bad entry \"" + entry + "\": " + ex.getMessage(), ex);
    }
    portText = portText.strip();
    if (portText.isEmpty()) {
      throw bad(entry, "missing ports after ':' (use * for all ports)");
    }
    int from;
    int to;
    if (portText.equals("*")) {
      from = 0;
      to = 65535;
    } else {
      int dash = portText.indexOf('-');
      if (dash < 0) {
        from = to = port(entry, portText);
      } else {
        from = port(entry, portText.substring(0, dash).strip());
        to = port(entry, portText.substring(dash + 1).strip());
        if (from > to) {
          throw bad(entry, "port range " + from + "-" + to + " is reversed (lo > hi)");
        }
      }
    }
    return new CidrPortRule(cidr, from, to);
  }

  private static int port(String entry, String text) {
    if (text.isEmpty()) {
      throw bad(entry, "missing port number");
    }
    if (text.length() > 5) {
      throw bad(entry, "port " + text + " is not a number 0-65535");
    }
    int v = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        throw bad(entry, "port \"" + text + "\" is not a number 0-65535");
      }
      v = v * 10 + (c - '0');
    }
    if (v > 65535) {
      throw bad(entry, "port " + v + " > 65535");
    }
    return v;
  }

  private static IllegalArgumentException bad(String entry, String why) {
    return new IllegalArgumentException("bad entry \"" + entry + "\": " + why);
  }

  public Cidr cidr() {
    return cidr;
  }

  public int portFrom() {
    return portFrom;
  }

  public int portTo() {
    return portTo;
  }

  public boolean matchesPort(int port) {
    return port >= portFrom && port <= portTo;
  }

  /** Whether the address (same family, see {@link Cidr#contains}) and port are covered. */
  public boolean matches(InetAddress address, int port) {
    return matchesPort(port) && cidr.contains(address);
  }

  /**
   * Canonical form: {@code 10.0.0.0/8:443}, {@code [2001:db8::]/32:8000-8999}, {@code
   * 1.2.3.4/32:*}.
   */
  @Override
  public String toString() {
    String ports;
    if (portFrom == 0 && portTo == 65535) {
      ports = "*";
    } else if (portFrom == portTo) {
      ports = Integer.toString(portFrom);
    } else {
      ports = portFrom + "-" + portTo;
    }
    return cidr + ":" + ports;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CidrPortRule r
        && r.portFrom == portFrom
        && r.portTo == portTo
        && r.cidr.equals(cidr);
  }

  @Override
  public int hashCode() {
    return cidr.hashCode() * 31 + portFrom * 65537 + portTo;
  }
}
