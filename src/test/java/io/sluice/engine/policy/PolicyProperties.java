package io.sluice.engine.policy;

import static org.assertj.core.api.Assertions.assertThat;

import inet.ipaddr.IPAddress;
import io.sluice.engine.spi.PolicyDecision;
import io.sluice.engine.spi.ProxyPrincipal;
import io.sluice.engine.spi.UserLimits;
import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Property tests. Expectations come from the independent {@link DenyTable}, from ipaddress
 * containment, and from java.net predicates, never from the classes under test.
 */
class PolicyProperties {

  static final ProxyPrincipal ANON = ProxyPrincipal.anonymous();
  static final DefaultDestinationPolicy DEFAULT = new DefaultDestinationPolicy();
  static final BigInteger TWO_128 = BigInteger.ONE.shiftLeft(128);

  /** A rule as test data: the ipaddress block plus a port range, formatted by the test. */
  record TestRule(IPAddress block, int lo, int hi) {
    String text() {
      String a = block.getLower().withoutPrefixLength().toCanonicalString();
      int p = block.getNetworkPrefixLength();
      String ports = lo == hi ? Integer.toString(lo) : lo + "-" + hi;
      return (block.isIPv4() ? a : "[" + a + "]") + "/" + p + ":" + ports;
    }

    boolean covers(InetAddress address, int port) {
      IPAddress a = Addr.ip(address);
      return a.isIPv4() == block.isIPv4() && block.contains(a) && port >= lo && port <= hi;
    }
  }

  // ---------------------------------------------------------------- generators

  /** An address inside a random deny range (jqwik biases offsets towards the range edges). */
  @Provide
  Arbitrary<InetAddress> deniedAddress() {
    return Arbitraries.of(DenyTable.RANGES)
        .flatMap(r ->
            Arbitraries.bigIntegers()
                .between(BigInteger.ZERO, r.block().getCount().subtract(BigInteger.ONE))
                .map(off -> Addr.at(r.block(), off)));
  }

  @Provide
  Arbitrary<InetAddress> anyIpv4() {
    return Arbitraries.integers().map(Addr::ipv4);
  }

  @Provide
  Arbitrary<InetAddress> anyIpv6() {
    return Arbitraries.bigIntegers()
        .between(BigInteger.ZERO, TWO_128.subtract(BigInteger.ONE))
        .map(Addr::ipv6);
  }

  @Provide
  Arbitrary<InetAddress> anyAddress() {
    return Arbitraries.oneOf(anyIpv4(), anyIpv6(), deniedAddress(), globalUnicast6());
  }

  @Provide
  Arbitrary<InetAddress> globalUnicast6() {
    IPAddress g = Addr.block("2000::/3");
    return Arbitraries.bigIntegers()
        .between(BigInteger.ZERO, g.getCount().subtract(BigInteger.ONE))
        .map(off -> Addr.at(g, off));
  }

  @Provide
  Arbitrary<InetAddress> publicAddress() {
    return Arbitraries.oneOf(anyIpv4(), globalUnicast6(), anyIpv6())
        .filter(a -> DenyTable.expectedReason(a) == null);
  }

  @Provide
  Arbitrary<Integer> port() {
    return Arbitraries.integers().between(1, 65535);
  }

  /** A rule whose block is around the given address (covering it) at a random prefix length. */
  static Arbitrary<TestRule> ruleAround(InetAddress a) {
    IPAddress ip = Addr.ip(a);
    return Combinators.combine(Arbitraries.integers().between(0, ip.getBitCount()), portRange())
        .as((p, ports) ->
            new TestRule(ip.setPrefixLength(p, false).toPrefixBlock(), ports[0], ports[1]));
  }

  static Arbitrary<int[]> portRange() {
    return Combinators.combine(
            Arbitraries.integers().between(0, 65535), Arbitraries.integers().between(0, 65535))
        .as((x, y) -> new int[] {Math.min(x, y), Math.max(x, y)});
  }

  @Provide
  Arbitrary<TestRule> anyRule() {
    return anyAddress().flatMap(PolicyProperties::ruleAround);
  }

  static ProxyPrincipal user(List<String> allow) {
    return new ProxyPrincipal(1L, "u", UserLimits.UNLIMITED, allow, null);
  }

  // ---------------------------------------------------------------- properties

  @Property(tries = 2000)
  void deniedRangesAreDeniedUnlessAnAllowRuleCoversAddressAndPort(
      @ForAll("deniedAddress") InetAddress a,
      @ForAll("port") int port,
      @ForAll("anyRule") TestRule unrelated,
      @ForAll boolean useNearbyRule,
      @ForAll boolean perUser,
      @ForAll @IntRange(min = 0, max = 128) int nearbyPrefix,
      @ForAll("port") int p1,
      @ForAll("port") int p2) {
    TestRule rule = unrelated;
    if (useNearbyRule) {
      IPAddress ip = Addr.ip(a);
      int p = Math.min(nearbyPrefix, ip.getBitCount());
      rule =
          new TestRule(
              ip.setPrefixLength(p, false).toPrefixBlock(), Math.min(p1, p2), Math.max(p1, p2));
    }
    DefaultDestinationPolicy policy =
        perUser ? DEFAULT : new DefaultDestinationPolicy(rule.text(), "", Set.of());
    ProxyPrincipal who = perUser ? user(List.of(rule.text())) : ANON;

    PolicyDecision d = policy.check(who, a, port);

    if (rule.covers(a, port)) {
      assertThat(d).isEqualTo(PolicyDecision.allow(perUser ? "user-allow-list" : "allow-list"));
    } else {
      assertThat(d).isEqualTo(PolicyDecision.deny(DenyTable.expectedReason(a)));
    }
  }

  @Property(tries = 1000)
  void ipv4EmbeddedFormsAreAlwaysDenied(
      @ForAll("embeddable") int v4, @ForAll long tail, @ForAll("port") int port) {
    // Even an allow-everything IPv4 allow list must not open the IPv6 forms.
    DefaultDestinationPolicy open = new DefaultDestinationPolicy("0.0.0.0/0:*", "", Set.of());
    for (DefaultDestinationPolicy policy : List.of(DEFAULT, open)) {
      for (InetAddress form :
          List.of(Addr.mapped(v4), Addr.nat64(v4), Addr.sixToFour(v4, tail), Addr.compatible(v4))) {
        PolicyDecision d = policy.check(ANON, form, port);
        assertThat(d.allowed()).as("%s", form).isFalse();
        if (v4 != 0 && v4 != 1) { // ::/128 and ::1 have their own reasons
          assertThat(d.reason()).as("%s", form).isEqualTo("ipv4-embedded");
        }
      }
    }
  }

  @Property(tries = 1000)
  void ipv4DeniedAsIpv4IsDeniedInEveryEmbeddedForm(
      @ForAll("deniedAddress") InetAddress a, @ForAll long tail, @ForAll("port") int port) {
    if (!(a instanceof Inet4Address)) {
      return;
    }
    int v4 = Cidr.toInt(a.getAddress());
    assertThat(DEFAULT.check(ANON, a, port).allowed()).isFalse();
    for (InetAddress form : List.of(Addr.mapped(v4), Addr.nat64(v4), Addr.sixToFour(v4, tail))) {
      assertThat(DEFAULT.check(ANON, form, port).allowed()).as("%s", form).isFalse();
    }
  }

  @Provide
  Arbitrary<Integer> embeddable() {
    return Arbitraries.oneOf(
        Arbitraries.integers(),
        deniedAddress()
            .filter(a -> a instanceof Inet4Address)
            .map(a -> Cidr.toInt(a.getAddress())));
  }

  @Property(tries = 2000)
  void publicAddressesAreAllowedOnEveryPort(
      @ForAll("publicAddress") InetAddress a, @ForAll("port") int port) {
    assertThat(DEFAULT.check(ANON, a, port)).isEqualTo(PolicyDecision.allow("public"));
    assertThat(DEFAULT.check(ANON, a, 0)).isEqualTo(PolicyDecision.deny("port-zero"));
  }

  @Property(tries = 2000)
  void javaNetPredicatesImplyDenied(@ForAll("anyAddress") InetAddress a, @ForAll("port") int port) {
    boolean internal =
        a.isLoopbackAddress()
            || a.isSiteLocalAddress()
            || a.isLinkLocalAddress()
            || a.isMulticastAddress()
            || a.isAnyLocalAddress();
    PolicyDecision d = DEFAULT.check(ANON, a, port);
    if (internal) {
      assertThat(d.allowed()).as("%s", a).isFalse();
    }
    // and the decision agrees with the independent table either way
    String expected = DenyTable.expectedReason(a);
    assertThat(d)
        .isEqualTo(
            expected == null ? PolicyDecision.allow("public") : PolicyDecision.deny(expected));
  }

  @Property(tries = 1000)
  void selfAddressesAreDenied(
      @ForAll("publicAddress") InetAddress self,
      @ForAll("publicAddress") InetAddress other,
      @ForAll("port") int port) {
    DefaultDestinationPolicy p = DEFAULT.withSelfAddresses(Set.of(self));
    assertThat(p.check(ANON, self, port)).isEqualTo(PolicyDecision.deny("self"));
    if (!other.equals(self)) {
      assertThat(p.check(ANON, other, port)).isEqualTo(PolicyDecision.allow("public"));
    }
  }

  @Property(tries = 2000)
  void ruleFormatParseRoundTrips(@ForAll("anyRule") TestRule r) {
    CidrPortRule parsed = CidrPortRule.parse(r.text());
    String canonical = parsed.toString();
    assertThat(CidrPortRule.parse(canonical)).isEqualTo(parsed);
    assertThat(CidrPortRule.parse(canonical).toString()).isEqualTo(canonical);
    // the parsed rule describes the same block and ports as the test's own data
    assertThat(parsed.cidr().toIPAddress()).isEqualTo(r.block());
    assertThat(parsed.portFrom()).isEqualTo(r.lo());
    assertThat(parsed.portTo()).isEqualTo(r.hi());
  }

  @Property(tries = 1000)
  void listMatchingAgreesWithIpaddressContainment(
      @ForAll @Size(min = 1, max = 6) List<@From("anyRule") TestRule> rules,
      @ForAll("anyAddress") InetAddress a,
      @ForAll("port") int port) {
    CidrPortList list =
        CidrPortList.parse(String.join(" , ", rules.stream().map(TestRule::text).toList()));
    boolean expected = rules.stream().anyMatch(r -> r.covers(a, port));
    assertThat(list.matches(a, port)).isEqualTo(expected);
    assertThat(CidrPortList.parse(list.toString())).isEqualTo(list);
  }

  @Property(tries = 1000)
  void listMatchesAddressesInsideItsRules(
      @ForAll("anyRule") TestRule r, @ForAll long salt, @ForAll("port") int port) {
    // pick an address inside the rule's block
    BigInteger off = BigInteger.valueOf(salt).abs().mod(r.block().getCount());
    InetAddress inside = Addr.at(r.block(), off);
    CidrPortList list = CidrPortList.parse(r.text());
    assertThat(list.matches(inside, port)).isEqualTo(port >= r.lo() && port <= r.hi());
  }

  @Property(tries = 1000)
  void sourceWhitelistMatchesMappedFormsLikeIpv4(
      @ForAll("anyRule") TestRule r, @ForAll("anyIpv4") InetAddress client) {
    if (!r.block().isIPv4()) {
      return;
    }
    SourceWhitelist w = SourceWhitelist.parse(Cidr.format(r.block()));
    int v4 = Cidr.toInt(client.getAddress());
    boolean expected = r.block().contains(Addr.ip(client));
    assertThat(w.matches(client)).isEqualTo(expected);
    assertThat(w.matches(Addr.mapped(v4))).isEqualTo(expected);
    assertThat(w.matches(Addr.nat64(v4))).isFalse();
  }
}
