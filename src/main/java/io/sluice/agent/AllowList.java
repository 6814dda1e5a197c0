package io.sluice.agent;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The agent's local policy: which {@code host:port} targets the server may make it reach. Empty
 * means nothing. Entries: {@code CIDR:PORTS}, {@code IP:PORTS}, {@code [IPv6-CIDR]:PORTS} and
 * {@code hostname:PORTS}, where PORTS is {@code 443}, {@code 1000-2000} or {@code *}.
 *
 * <p>A hostname entry admits an OPEN whose host is that name (case-insensitive, a trailing dot
 * ignored). Otherwise the OPEN host is resolved once and only the resolved addresses inside an
 * address entry for the port are returned; the caller connects to exactly those. Immutable.
 */
public final class AllowList {

  /** Resolves a name to addresses; {@link InetAddress#getAllByName} in production. */
  @FunctionalInterface
  public interface Resolver {
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  /** One parsed entry. */
  public sealed interface Rule permits AddressRule, HostRule {
    int lowPort();

    int highPort();

    default boolean coversPort(int port) {
      return port >= lowPort() && port <= highPort();
    }
  }

  /** {@code network/prefix} with the host bits cleared. */
  public record AddressRule(byte[] network, int prefix, int lowPort, int highPort) implements Rule {
    boolean matches(InetAddress a) {
      byte[] b = a.getAddress();
      if (b.length != network.length) {
        return false;
      }
      int full = prefix / 8;
      for (int i = 0; i < full; i++) {
        if (b[i] != network[i]) {
          return false;
        }
      }
      int rest = prefix % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xFF << (8 - rest)) & 0xFF;
      return (b[full] & mask) == (network[full] & mask);
    }
  }

  /** An exact host name (lower case, no trailing dot). */
  public record HostRule(String host, int lowPort, int highPort) implements Rule {}

  /** Outcome of {@link #check}. */
  public sealed interface Decision {}

  /** Connect only to these addresses (in resolver order, at least one). */
  public record Allowed(List<InetAddress> addresses) implements Decision {}

  /** OPEN_FAIL NOT_ALLOWED with this message. */
  public record Refused(String message) implements Decision {}

  private static final Pattern HOST_NAME =
      Pattern.compile("(?i)[a-z0-9_](?:[a-z0-9_-]{0,62})(?:\\.[a-z0-9_](?:[a-z0-9_-]{0,62}))*");

  private final List<Rule> rules;

  private AllowList(List<Rule> rules) {
    this.rules = List.copyOf(rules);
  }

  public static AllowList of(List<Rule> rules) {
    return new AllowList(rules);
  }

  public List<Rule> rules() {
    return rules;
  }

  public boolean isEmpty() {
    return rules.isEmpty();
  }

  /** Parses {@code --allow} values; each may hold several comma-separated entries. */
  public static AllowList parse(List<String> values) {
    List<Rule> rules = new ArrayList<>();
    for (String value : values) {
      for (String entry : value.split(",", -1)) {
        String e = entry.trim();
        if (e.isEmpty()) {
          throw new IllegalArgumentException("empty --allow entry");
        }
        rules.add(parseEntry(e));
      }
    }
    return new AllowList(rules);
  }

  /** Parses one entry; the message names the entry and what is wrong. */
  public static Rule parseEntry(String entry) {
    String target;
    String ports;
    if (entry.startsWith("[")) {
      int close = entry.indexOf(']');
      if (close < 0 || close + 1 >= entry.length() || entry.charAt(close + 1) != ':') {
        throw new IllegalArgumentException(
            "invalid allow entry '" + entry + "' (expected [IPv6/prefix]:PORTS)");
      }
      target = entry.substring(1, close);
      ports = entry.substring(close + 2);
      if (target.indexOf(':') < 0) {
        throw new IllegalArgumentException(
            "invalid allow entry '" + entry + "': brackets are for IPv6");
      }
    } else {
      int colon = entry.lastIndexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException(
            "invalid allow entry '" + entry + "' (expected TARGET:PORTS)");
      }
      target = entry.substring(0, colon);
      ports = entry.substring(colon + 1);
      if (target.indexOf(':') >= 0) {
        throw new IllegalArgumentException(
            "invalid allow entry '" + entry + "': write IPv6 in brackets");
      }
    }
    int[] range = parsePorts(entry, ports);
    int slash = target.indexOf('/');
    String addressPart = slash < 0 ? target : target.substring(0, slash);
    InetAddress address = IpLiterals.parse(addressPart);
    if (address == null) {
      if (slash >= 0 || IpLiterals.looksNumeric(addressPart)) {
        throw new IllegalArgumentException(
            "invalid allow entry '" + entry + "': bad IP address '" + addressPart + "'");
      }
      String host = stripDot(addressPart.toLowerCase(Locale.ROOT));
      if (host.length() > 253 || !HOST_NAME.matcher(host).matches()) {
        throw new IllegalArgumentException("invalid allow entry '" + entry + "': bad host name");
      }
      return new HostRule(host, range[0], range[1]);
    }
    byte[] bytes = address.getAddress();
    int max = bytes.length * 8;
    int prefix = max;
    if (slash >= 0) {
      String p = target.substring(slash + 1);
      if (!p.matches("\\d{1,3}") || Integer.parseInt(p) > max) {
        throw new IllegalArgumentException(
            "invalid allow entry '" + entry + "': prefix must be 0.." + max);
      }
      prefix = Integer.parseInt(p);
    }
    for (int bit = prefix; bit < max; bit++) {
      bytes[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
    }
    return new AddressRule(bytes, prefix, range[0], range[1]);
  }

  private static int[] parsePorts(String entry, String ports) {
    if (ports.equals("*")) {
      return new int[] {1, 65535};
    }
    String[] parts = ports.split("-", -1);
    if (parts.length > 2) {
      throw new IllegalArgumentException("invalid allow entry '" + entry + "': bad port range");
    }
    int lo = port(entry, parts[0]);
    int hi = parts.length == 2 ? port(entry, parts[1]) : lo;
    if (lo > hi) {
      throw new IllegalArgumentException(
          "invalid allow entry '" + entry + "': port range is reversed");
    }
    return new int[] {lo, hi};
  }

  private static int port(String entry, String s) {
    if (!s.matches("\\d{1,5}") || Integer.parseInt(s) < 1 || Integer.parseInt(s) > 65535) {
      throw new IllegalArgumentException(
          "invalid allow entry '" + entry + "': port must be 1..65535 or *");
    }
    return Integer.parseInt(s);
  }

  private static String stripDot(String host) {
    return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
  }

  /**
   * Decides an OPEN. Resolves {@code host} (IP literals are parsed, never looked up) only when an
   * entry could admit it, and returns exactly the addresses that may be connected to.
   *
   * @throws UnknownHostException when the name does not resolve (OPEN_FAIL UNREACHABLE)
   */
  public Decision check(String host, int port, Resolver resolver) throws UnknownHostException {
    String target = host + ":" + port;
    String name = stripDot(host.toLowerCase(Locale.ROOT));
    InetAddress literal = IpLiterals.parse(host);
    boolean byName = false;
    boolean anyAddressRule = false;
    for (Rule r : rules) {
      if (!r.coversPort(port)) {
        continue;
      }
      if (r instanceof HostRule h && literal == null && h.host().equals(name)) {
        byName = true;
      } else if (r instanceof AddressRule) {
        anyAddressRule = true;
      }
    }
    if (!byName && !anyAddressRule) {
      return new Refused(target + " is not in the allow list");
    }
    InetAddress[] resolved = literal != null ? new InetAddress[] {literal} : resolver.resolve(host);
    if (resolved == null || resolved.length == 0) {
      throw new UnknownHostException(host);
    }
    if (byName) {
      return new Allowed(List.of(resolved));
    }
    List<InetAddress> ok = new ArrayList<>();
    for (InetAddress a : resolved) {
      if (admits(a, port)) {
        ok.add(a);
      }
    }
    if (ok.isEmpty()) {
      return new Refused(
          literal != null
              ? target + " is not in the allow list"
              : target + " resolves to no allowed address");
    }
    return new Allowed(List.copyOf(ok));
  }

  private boolean admits(InetAddress a, int port) {
    for (Rule r : rules) {
      if (r instanceof AddressRule ar && ar.coversPort(port) && ar.matches(a)) {
        return true;
      }
    }
    return false;
  }
}
