package io.sluice.firewall.domain;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What Sluice's firewall says, as plain values: the renderers turn it into nftables or iptables
 * text. Every address and prefix is checked as an IP literal (never resolved) and every interface
 * name against the kernel's rules, so nothing from the database can inject rule text. Lists are
 * sorted and de-duplicated, so one state always renders to the same text.
 *
 * @param egressInterface the interface pool prefixes are masqueraded on; {@code null}: any but
 *     {@code lo}
 * @param transparentPort the transparent listener's port VM TCP is redirected to; 0: no redirect
 * @param vms the VMs whose traffic goes through Sluice (addresses from the pools)
 * @param pool4 the IPv4 pool prefixes (CIDR)
 * @param pool6 the IPv6 pool prefixes (CIDR)
 * @param forwards port forwards from this host to VMs (DNAT)
 * @param proxyPorts the proxy ports (SOCKS, HTTP, mixed, dedicated) guarded by {@code
 *     proxyWhitelist}
 * @param proxyWhitelist sources allowed to reach the proxy ports; empty: every source
 * @param panelPorts the admin API ports guarded by {@code panelWhitelist}
 * @param panelWhitelist sources allowed to reach the admin ports; empty: every source
 * @param controlPorts the Tor control port range, closed to everything but loopback; {@code null}:
 *     none
 */
public record FirewallModel(
    String egressInterface,
    int transparentPort,
    List<Vm> vms,
    List<String> pool4,
    List<String> pool6,
    List<Forward> forwards,
    List<Integer> proxyPorts,
    List<String> proxyWhitelist,
    List<Integer> panelPorts,
    List<String> panelWhitelist,
    PortRange controlPorts) {

  private static final Pattern IFACE = Pattern.compile("[A-Za-z0-9_.:@-]{1,15}");

  /** A VM: its IPv4 address and, when it has one, its dedicated IPv6 address. */
  public record Vm(long id, long userId, String ipv4, String ipv6) {
    public Vm {
      ipv4 = literal(ipv4, 4);
      ipv6 = ipv6 == null ? null : literal(ipv6, 6);
    }
  }

  /** A port forward: {@code protocol publicPort} on this host to {@code vmAddress:vmPort}. */
  public record Forward(String protocol, int publicPort, String vmAddress, int vmPort) {
    public Forward {
      if (!"tcp".equals(protocol) && !"udp".equals(protocol)) {
        throw new IllegalArgumentException("protocol must be tcp or udp: " + protocol);
      }
      port(publicPort);
      port(vmPort);
      vmAddress = literal(vmAddress, 0);
    }

    /** 4 or 6. */
    public int family() {
      return vmAddress.contains(":") ? 6 : 4;
    }
  }

  /** An inclusive port range. */
  public record PortRange(int first, int last) {
    public PortRange {
      port(first);
      port(last);
      if (last < first) {
        throw new IllegalArgumentException("port range " + first + "-" + last + " is empty");
      }
    }
  }

  public FirewallModel {
    if (egressInterface != null && !IFACE.matcher(egressInterface).matches()) {
      throw new IllegalArgumentException("bad interface name: " + egressInterface);
    }
    if (transparentPort != 0) {
      port(transparentPort);
    }
    vms = List.copyOf(vms.stream().sorted(Comparator.comparingLong(Vm::id)).toList());
    pool4 = cidrs(pool4, 4);
    pool6 = cidrs(pool6, 6);
    forwards =
        forwards.stream()
            .sorted(Comparator.comparing(Forward::protocol).thenComparingInt(Forward::publicPort))
            .toList();
    proxyPorts = ports(proxyPorts);
    proxyWhitelist = cidrs(proxyWhitelist, 0);
    panelPorts = ports(panelPorts);
    panelWhitelist = cidrs(panelWhitelist, 0);
  }

  /** The VMs' IPv4 addresses, in VM id order. */
  public List<String> vm4() {
    return vms.stream().map(Vm::ipv4).distinct().toList();
  }

  /** The VMs' dedicated IPv6 addresses, in VM id order. */
  public List<String> vm6() {
    return vms.stream().map(Vm::ipv6).filter(Objects::nonNull).distinct().toList();
  }

  /** The entries of {@code cidrs} of one family (4 or 6). */
  public static List<String> family(List<String> cidrs, int family) {
    return cidrs.stream().filter(c -> (c.contains(":") ? 6 : 4) == family).toList();
  }

  private static List<Integer> ports(List<Integer> ports) {
    ports.forEach(FirewallModel::port);
    return ports.stream().distinct().sorted().toList();
  }

  private static void port(int p) {
    if (p < 1 || p > 65535) {
      throw new IllegalArgumentException("port out of range: " + p);
    }
  }

  /** Normalised CIDRs (a bare address gets /32 or /128); family 0: either. */
  static List<String> cidrs(List<String> cidrs, int family) {
    List<String> out = new ArrayList<>();
    for (String c : cidrs) {
      String s = c.trim();
      int slash = s.indexOf('/');
      String addr = slash < 0 ? s : s.substring(0, slash);
      String lit = literal(addr, family);
      int max = lit.contains(":") ? 128 : 32;
      int len;
      try {
        len = slash < 0 ? max : Integer.parseInt(s.substring(slash + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("bad prefix length: " + c);
      }
      if (len < 0 || len > max) {
        throw new IllegalArgumentException("bad prefix length: " + c);
      }
      out.add(network(lit, len) + "/" + len);
    }
    return out.stream().distinct().sorted().toList();
  }

  /** The address with its host bits cleared. */
  private static String network(String literal, int len) {
    byte[] b = parse(literal).getAddress();
    for (int i = 0; i < b.length; i++) {
      int keep = Math.max(0, Math.min(8, len - i * 8));
      b[i] &= (byte) (0xff << (8 - keep));
    }
    try {
      return canonical(InetAddress.getByAddress(b));
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An IP literal (either family) in canonical form, as the model keeps addresses. */
  public static String canonicalLiteral(String s) {
    return literal(s, 0);
  }

  /** An IP literal in canonical form; family 0: either. Never a DNS look-up. */
  static String literal(String s, int family) {
    Objects.requireNonNull(s, "address");
    if (!s.matches("[0-9A-Fa-f.:]{2,45}")) {
      throw new IllegalArgumentException("not an IP address: " + s);
    }
    InetAddress a = parse(s);
    if (family == 4 && !(a instanceof Inet4Address)
        || family == 6 && !(a instanceof Inet6Address)) {
      throw new IllegalArgumentException("not an IPv" + family + " address: " + s);
    }
    return canonical(a);
  }

  /**
   * Parses a literal that passed the character check. {@code getByName} refuses a bad string with a
   * colon without a look-up; everything else must be a dotted quad of octets up to 255 here first,
   * so it never reaches the resolver.
   */
  private static InetAddress parse(String s) {
    if (!s.contains(":")
        && (!s.matches("\\d{1,3}(\\.\\d{1,3}){3}")
            || java.util.Arrays.stream(s.split("\\.")).anyMatch(o -> Integer.parseInt(o) > 255))) {
      throw new IllegalArgumentException("not an IP address: " + s);
    }
    try {
      return InetAddress.getByName(s);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException("not an IP address: " + s);
    }
  }

  private static String canonical(InetAddress a) {
    if (a instanceof Inet4Address) {
      return a.getHostAddress();
    }
    // RFC 5952: the longest run of zero groups becomes ::
    String[] g = a.getHostAddress().split(":");
    int best = -1;
    int bestLen = 1;
    for (int i = 0; i < g.length; ) {
      int j = i;
      while (j < g.length && g[j].equals("0")) {
        j++;
      }
      if (j - i > bestLen) {
        best = i;
        bestLen = j - i;
      }
      i = j == i ? i + 1 : j;
    }
    if (best < 0) {
      return String.join(":", g);
    }
    String head = String.join(":", java.util.Arrays.copyOfRange(g, 0, best));
    String tail = String.join(":", java.util.Arrays.copyOfRange(g, best + bestLen, g.length));
    return head + "::" + tail;
  }
}
