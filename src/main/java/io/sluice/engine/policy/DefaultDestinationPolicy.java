package io.sluice.engine.policy;

import io.sluice.engine.spi.DestinationPolicy;
import io.sluice.engine.spi.PolicyDecision;
import io.sluice.engine.spi.ProxyPrincipal;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The open-proxy / SSRF guard: deny by default everything that is not a public unicast destination,
 * let an allow list re-open chosen CIDRs and port ranges.
 *
 * <h2>Order of evaluation (first match wins)</h2>
 *
 * <ol>
 *   <li>port 0 (or outside 0-65535): deny {@code port-zero} / {@code bad-port}. Nothing overrides
 *       this.
 *   <li>global allow list (constructor) covers address and port: allow {@code allow-list}.
 *   <li>the principal's {@link ProxyPrincipal#allowDestinations()} cover address and port: allow
 *       {@code user-allow-list}.
 *   <li>address is one of the gateway's own ("self") addresses: deny {@code self}.
 *   <li>address is in a built-in special-purpose range (table below): deny with the range's reason.
 *   <li>extra deny list (constructor, e.g. {@code 0.0.0.0/0:25,[::]/0:25} to block SMTP) covers
 *       address and port: deny {@code deny-list}.
 *   <li>otherwise: allow {@code public}.
 * </ol>
 *
 * The allow lists therefore override everything except port 0, including the self addresses (the
 * loopback addresses are self addresses, and {@code 127.0.0.1/32:8000-8999} must be able to re-open
 * a local service) and the extra deny list (so a user may be granted SMTP that is blocked for
 * everyone else). Allow rules are family-strict: an IPv4 rule never matches an IPv6 address, not
 * even {@code ::ffff:a.b.c.d}.
 *
 * <h2>Built-in deny table</h2>
 *
 * IPv4: {@code 0.0.0.0/8} this-network, {@code 127.0.0.0/8} loopback, {@code 10.0.0.0/8
 * 172.16.0.0/12 192.168.0.0/16} private, {@code 169.254.0.0/16} link-local (cloud metadata
 * 169.254.169.254), {@code 100.64.0.0/10} cgnat, {@code 192.0.0.0/24} ietf-protocol, {@code
 * 192.0.2.0/24 198.51.100.0/24 203.0.113.0/24} documentation, {@code 198.18.0.0/15} benchmarking,
 * {@code 224.0.0.0/4} multicast, {@code 255.255.255.255} broadcast, {@code 240.0.0.0/4} reserved.
 *
 * <p>IPv6: {@code ::} unspecified, {@code ::1} loopback, {@code fc00::/7} private (unique local),
 * {@code fe80::/10} link-local, {@code fec0::/10} site-local, {@code ff00::/8} multicast, {@code
 * 2001:db8::/32 3fff::/20} documentation, {@code 2001:2::/48} benchmarking, {@code 100::/64}
 * discard, and everything outside the global unicast block {@code 2000::/3} reserved (nothing
 * routable lives there; this also catches {@code ::/8} forms not listed).
 *
 * <p><b>ipv4-embedded</b>, denied outright whatever the embedded IPv4 address: {@code
 * ::ffff:0:0/96} (IPv4-mapped), {@code ::ffff:0:0:0/96} (IPv4-translated, SIIT), {@code ::/96}
 * (IPv4-compatible), {@code 64:ff9b::/96} and {@code 64:ff9b:1::/48} (NAT64), {@code 2002::/16}
 * (6to4) and {@code 2001::/32} (Teredo). Each of these carries an IPv4 address inside the IPv6 one,
 * and a dual-stack socket, a NAT64 gateway, a 6to4 or Teredo relay may deliver the connection to
 * that IPv4 address. Checking only the IPv6 form would let a client smuggle {@code
 * ::ffff:127.0.0.1} or {@code 64:ff9b::a9fe:a9fe} (169.254.169.254) past the IPv4 rules, so these
 * forms are refused rather than decoded; clients use the plain IPv4 address instead.
 *
 * <h2>Self addresses</h2>
 *
 * The gateway's own addresses (typically {@link #localInterfaceAddresses()}) are denied on every
 * port so that a public-facing gateway cannot be used to reach its own admin console, database or
 * proxy ports. When the host sits behind 1:1 NAT (cloud instances) its public address is not on any
 * interface; the operator should add it to the self set. The set is a snapshot: rebuild with {@link
 * #withSelfAddresses} when interfaces change.
 *
 * <h2>Threading and cost</h2>
 *
 * Immutable and thread-safe; the host keeps the current instance in an {@code AtomicReference} and
 * swaps in a copy made by the {@code with...} methods when configuration changes. {@link #check}
 * allocates nothing beyond {@link InetAddress#getAddress()}: all decisions are preallocated, rules
 * are primitive arrays, and per-user allow lists are parsed once and cached by list content (shared
 * between copies). Per-user entries that fail to parse are skipped (allow entries, so skipping
 * fails closed) and logged once; validate them on input with {@link
 * CidrPortList#parse(Collection)}.
 */
public final class DefaultDestinationPolicy implements DestinationPolicy {

  // ---- reasons ----
  public static final String PORT_ZERO = "port-zero";
  public static final String BAD_PORT = "bad-port";
  public static final String NO_ADDRESS = "no-address";
  public static final String ALLOW_LIST = "allow-list";
  public static final String USER_ALLOW_LIST = "user-allow-list";
  public static final String SELF = "self";
  public static final String DENY_LIST = "deny-list";
  public static final String PUBLIC = "public";
  public static final String THIS_NETWORK = "this-network";
  public static final String UNSPECIFIED = "unspecified";
  public static final String LOOPBACK = "loopback";
  public static final String PRIVATE = "private";
  public static final String LINK_LOCAL = "link-local";
  public static final String SITE_LOCAL = "site-local";
  public static final String CGNAT = "cgnat";
  public static final String IETF_PROTOCOL = "ietf-protocol";
  public static final String DOCUMENTATION = "documentation";
  public static final String BENCHMARKING = "benchmarking";
  public static final String MULTICAST = "multicast";
  public static final String BROADCAST = "broadcast";
  public static final String RESERVED = "reserved";
  public static final String DISCARD = "discard";
  public static final String IPV4_EMBEDDED = "ipv4-embedded";

  private static final PolicyDecision D_PORT_ZERO = PolicyDecision.deny(PORT_ZERO);
  private static final PolicyDecision D_BAD_PORT = PolicyDecision.deny(BAD_PORT);
  private static final PolicyDecision D_NO_ADDRESS = PolicyDecision.deny(NO_ADDRESS);
  private static final PolicyDecision D_SELF = PolicyDecision.deny(SELF);
  private static final PolicyDecision D_DENY_LIST = PolicyDecision.deny(DENY_LIST);
  private static final PolicyDecision A_ALLOW_LIST = PolicyDecision.allow(ALLOW_LIST);
  private static final PolicyDecision A_USER_ALLOW_LIST = PolicyDecision.allow(USER_ALLOW_LIST);
  private static final PolicyDecision A_PUBLIC = PolicyDecision.allow(PUBLIC);

  private final CidrPortList allowList;
  private final CidrPortList denyList;
  private final SelfAddresses self;
  private final PrincipalListCache userLists;

  /** Built-in deny table only: no allow list, no extra deny list, no self addresses. */
  public DefaultDestinationPolicy() {
    this(CidrPortList.EMPTY, CidrPortList.EMPTY, Set.of());
  }

  /**
   * @param allowList global allow list (may be {@link CidrPortList#EMPTY})
   * @param denyList extra deny list applied to otherwise public destinations (may be empty)
   * @param selfAddresses the gateway's own addresses, denied on every port (may be empty)
   */
  public DefaultDestinationPolicy(
      CidrPortList allowList,
      CidrPortList denyList,
      Collection<? extends InetAddress> selfAddresses) {
    this(allowList, denyList, selfAddresses, new PrincipalListCache());
  }

  /**
   * Same as the other constructor with both lists in text form (see {@link CidrPortList}).
   *
   * @throws IllegalArgumentException naming the first bad entry
   */
  public DefaultDestinationPolicy(
      String allowList, String denyList, Collection<? extends InetAddress> selfAddresses) {
    this(CidrPortList.parse(allowList), CidrPortList.parse(denyList), selfAddresses);
  }

  private DefaultDestinationPolicy(
      CidrPortList allowList,
      CidrPortList denyList,
      Collection<? extends InetAddress> selfAddresses,
      PrincipalListCache userLists) {
    this.allowList = allowList == null ? CidrPortList.EMPTY : allowList;
    this.denyList = denyList == null ? CidrPortList.EMPTY : denyList;
    this.self = new SelfAddresses(selfAddresses);
    this.userLists = userLists;
  }

  /** A copy with another global allow list (per-user list cache is shared). */
  public DefaultDestinationPolicy withAllowList(CidrPortList allowList) {
    return new DefaultDestinationPolicy(allowList, denyList, self.addresses(), userLists);
  }

  /**
   * A copy with another global allow list in text form.
   *
   * @throws IllegalArgumentException naming the first bad entry
   */
  public DefaultDestinationPolicy withAllowList(String allowList) {
    return withAllowList(CidrPortList.parse(allowList));
  }

  /** A copy with another extra deny list. */
  public DefaultDestinationPolicy withDenyList(CidrPortList denyList) {
    return new DefaultDestinationPolicy(allowList, denyList, self.addresses(), userLists);
  }

  /**
   * A copy with another extra deny list in text form.
   *
   * @throws IllegalArgumentException naming the first bad entry
   */
  public DefaultDestinationPolicy withDenyList(String denyList) {
    return withDenyList(CidrPortList.parse(denyList));
  }

  /** A copy with another set of self addresses. */
  public DefaultDestinationPolicy withSelfAddresses(
      Collection<? extends InetAddress> selfAddresses) {
    return new DefaultDestinationPolicy(allowList, denyList, selfAddresses, userLists);
  }

  public CidrPortList allowList() {
    return allowList;
  }

  public CidrPortList denyList() {
    return denyList;
  }

  public Set<InetAddress> selfAddresses() {
    return self.addresses();
  }

  /**
   * The built-in deny table in evaluation order, CIDR to reason, for documentation and the admin
   * UI. The last entry ({@code [::]/0}) stands for "IPv6 outside {@code 2000::/3}".
   */
  public static Map<Cidr, String> builtInDenyRanges() {
    return SpecialPurposeRanges.table();
  }

  /**
   * All addresses of all local network interfaces (up or down, loopback included), for the self
   * set.
   *
   * @throws UncheckedIOException when the interfaces cannot be listed
   */
  public static Set<InetAddress> localInterfaceAddresses() {
    try {
      return NetworkInterface.networkInterfaces()
          .flatMap(NetworkInterface::inetAddresses)
          .collect(Collectors.toCollection(LinkedHashSet::new));
    } catch (SocketException e) {
      throw new UncheckedIOException("cannot list network interfaces", e);
    }
  }

  @Override
  public PolicyDecision check(ProxyPrincipal principal, InetAddress address, int port) {
    if (port <= 0 || port > 65535) {
      return port == 0 ? D_PORT_ZERO : D_BAD_PORT;
    }
    if (address instanceof Inet4Address) {
      return checkIPv4(principal, Cidr.toInt(address.getAddress()), port);
    }
    if (address instanceof Inet6Address) {
      byte[] b = address.getAddress();
      return checkIPv6(principal, Cidr.toLong(b, 0), Cidr.toLong(b, 8), port);
    }
    return D_NO_ADDRESS;
  }

  private PolicyDecision checkIPv4(ProxyPrincipal principal, int a, int port) {
    if (allowList.matchesIPv4(a, port)) {
      return A_ALLOW_LIST;
    }
    CidrPortList user = userList(principal);
    if (user != null && user.matchesIPv4(a, port)) {
      return A_USER_ALLOW_LIST;
    }
    if (self.containsIPv4(a)) {
      return D_SELF;
    }
    PolicyDecision special = SpecialPurposeRanges.matchIPv4(a);
    if (special != null) {
      return special;
    }
    if (denyList.matchesIPv4(a, port)) {
      return D_DENY_LIST;
    }
    return A_PUBLIC;
  }

  private PolicyDecision checkIPv6(ProxyPrincipal principal, long hi, long lo, int port) {
    if (allowList.matchesIPv6(hi, lo, port)) {
      return A_ALLOW_LIST;
    }
    CidrPortList user = userList(principal);
    if (user != null && user.matchesIPv6(hi, lo, port)) {
      return A_USER_ALLOW_LIST;
    }
    if (self.containsIPv6(hi, lo)) {
      return D_SELF;
    }
    PolicyDecision special = SpecialPurposeRanges.matchIPv6(hi, lo);
    if (special != null) {
      return special;
    }
    if (denyList.matchesIPv6(hi, lo, port)) {
      return D_DENY_LIST;
    }
    return A_PUBLIC;
  }

  private CidrPortList userList(ProxyPrincipal principal) {
    if (principal == null) {
      return null;
    }
    List<String> entries = principal.allowDestinations();
    if (entries.isEmpty()) {
      return null;
    }
    return userLists.get(entries);
  }

  @Override
  public String toString() {
    return "DefaultDestinationPolicy[allow="
        + allowList
        + ", deny="
        + denyList
        + ", self="
        + self.addresses().size()
        + " addresses]";
  }
}
