package io.sluice.engine.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.engine.spi.PolicyDecision;
import io.sluice.engine.spi.ProxyPrincipal;
import io.sluice.engine.spi.UserLimits;
import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class DefaultDestinationPolicyTest {

  static final ProxyPrincipal ANON = ProxyPrincipal.anonymous();
  static final DefaultDestinationPolicy DEFAULT = new DefaultDestinationPolicy();

  static ProxyPrincipal user(String... allow) {
    return new ProxyPrincipal(7L, "alice", UserLimits.UNLIMITED, List.of(allow), null);
  }

  static PolicyDecision check(DefaultDestinationPolicy p, String address, int port) {
    return p.check(ANON, Addr.of(address), port);
  }

  /** First, last and middle address of every deny range. */
  static Stream<Arguments> denyRangeSamples() {
    List<Arguments> out = new ArrayList<>();
    for (DenyTable.Range r : DenyTable.RANGES) {
      BigInteger size = r.block().getCount();
      BigInteger last = size.subtract(BigInteger.ONE);
      for (BigInteger off : List.of(BigInteger.ZERO, last, size.shiftRight(1))) {
        InetAddress a = Addr.at(r.block(), off);
        out.add(Arguments.of(r.cidr(), a, DenyTable.expectedReason(a)));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}: {1} denied as {2}")
  @MethodSource("denyRangeSamples")
  void everyDenyRangeIsDeniedAtFirstLastAndMiddle(String range, InetAddress a, String reason) {
    assertThat(reason).isNotNull();
    for (int port : new int[] {1, 80, 443, 65535}) {
      PolicyDecision d = DEFAULT.check(ANON, a, port);
      assertThat(d.allowed()).as("%s port %d", a, port).isFalse();
      assertThat(d.reason()).as("%s port %d", a, port).isEqualTo(reason);
    }
  }

  @ParameterizedTest(name = "{0}: java.net predicates agree")
  @MethodSource("denyRangeSamples")
  void javaNetPredicatesCrossCheck(String range, InetAddress a, String reason) {
    // Expectations derived from java.net, not from our table.
    PolicyDecision d = DEFAULT.check(ANON, a, 443);
    if (a.isLoopbackAddress()) {
      assertThat(d).isEqualTo(PolicyDecision.deny("loopback"));
    }
    if (a.isLinkLocalAddress()) {
      assertThat(d).isEqualTo(PolicyDecision.deny("link-local"));
    }
    if (a.isSiteLocalAddress()) {
      assertThat(d.reason()).isIn(a instanceof Inet4Address ? "private" : "site-local");
      assertThat(d.allowed()).isFalse();
    }
    if (a.isMulticastAddress()) {
      assertThat(d).isEqualTo(PolicyDecision.deny("multicast"));
    }
    if (a.isAnyLocalAddress()) {
      assertThat(d.allowed()).isFalse();
    }
  }

  @ParameterizedTest
  @CsvSource({
    "169.254.169.254, link-local",
    "127.0.0.1, loopback",
    "127.255.255.254, loopback",
    "0.0.0.0, this-network",
    "10.255.255.255, private",
    "172.31.255.255, private",
    "192.168.1.1, private",
    "100.127.255.255, cgnat",
    "255.255.255.255, broadcast",
    "240.0.0.1, reserved",
    "::, unspecified",
    "::1, loopback",
    "::ffff:127.0.0.1, ipv4-embedded",
    "::ffff:8.8.8.8, ipv4-embedded",
    "::ffff:0:8.8.8.8, ipv4-embedded",
    "::127.0.0.1, ipv4-embedded",
    "64:ff9b::a9fe:a9fe, ipv4-embedded",
    "64:ff9b:1::1, ipv4-embedded",
    "2002:7f00:1::, ipv4-embedded",
    "2001:0:4136:e378:8000:63bf:3fff:fdd2, ipv4-embedded",
    "fd00:ec2::254, private",
    "fe80::1, link-local",
    "ff02::1, multicast",
    "100::1, discard",
    "2001:db8::1, documentation",
    "4000::1, reserved",
    "::1:0:0:1, reserved",
  })
  void namedDestinations(String address, String reason) {
    assertThat(check(DEFAULT, address, 443)).isEqualTo(PolicyDecision.deny(reason));
  }

  @ParameterizedTest
  @CsvSource({
    "8.8.8.8",
    "1.1.1.1",
    "9.255.255.255",
    "11.0.0.0",
    "172.15.255.255",
    "172.32.0.0",
    "192.167.255.255",
    "192.169.0.0",
    "100.63.255.255",
    "100.128.0.0",
    "169.253.255.255",
    "169.255.0.0",
    "198.17.255.255",
    "198.20.0.0",
    "223.255.255.255",
    "126.255.255.255",
    "128.0.0.0",
    "1.0.0.0",
    "192.0.1.255",
    "192.0.3.0",
    "2606:4700:4700::1111",
    "2001:4860:4860::8888",
    "2001:1::1",
    "2001:db7:ffff::1",
    "2003::1",
    "3ffe::1",
    "3fff:1000::1",
    "2a00:1450:4001::1"
  })
  void publicDestinationsAreAllowedOnAnyNonZeroPort(String address) {
    for (int port : new int[] {1, 22, 25, 443, 65535}) {
      assertThat(check(DEFAULT, address, port)).isEqualTo(PolicyDecision.allow("public"));
    }
  }

  @Test
  void portZeroIsAlwaysDenied() {
    var p = new DefaultDestinationPolicy("0.0.0.0/0:*,[::]/0:*", "", Set.of());
    assertThat(check(p, "8.8.8.8", 0)).isEqualTo(PolicyDecision.deny("port-zero"));
    assertThat(check(p, "2606:4700::1", 0)).isEqualTo(PolicyDecision.deny("port-zero"));
    assertThat(p.check(user("0.0.0.0/0:0"), Addr.of("8.8.8.8"), 0).allowed()).isFalse();
    assertThat(check(DEFAULT, "8.8.8.8", -1)).isEqualTo(PolicyDecision.deny("bad-port"));
    assertThat(check(DEFAULT, "8.8.8.8", 65536)).isEqualTo(PolicyDecision.deny("bad-port"));
    assertThat(check(p, "8.8.8.8", 1)).isEqualTo(PolicyDecision.allow("allow-list"));
  }

  @Test
  void nullAddressIsDenied() {
    assertThat(DEFAULT.check(ANON, null, 80).allowed()).isFalse();
  }

  @ParameterizedTest
  @CsvSource({
    "127.0.0.1, 8000, true",
    "127.0.0.1, 8999, true",
    "127.0.0.1, 8500, true",
    "127.0.0.1, 7999, false",
    "127.0.0.1, 9000, false",
    "127.0.0.2, 8000, false",
    "10.0.0.0, 443, true",
    "10.255.255.255, 443, true",
    "10.1.2.3, 444, false",
    "10.1.2.3, 442, false",
    "11.0.0.1, 443, true",
    "::1, 8000, true",
    "::1, 8999, true",
    "::1, 9000, false",
    "::2, 8000, false",
    "fd12:3456::1, 22, true",
    "fd12:3457::1, 22, false",
    "::ffff:10.1.2.3, 443, false",
  })
  void globalAllowListOverridesDenyByCidrAndPortRange(String address, int port, boolean allowed) {
    var p =
        new DefaultDestinationPolicy(
            "127.0.0.1/32:8000-8999, 10.0.0.0/8:443, [::1]/128:8000-8999,[fd12:3456::]/32:22",
            "",
            Set.of());
    PolicyDecision d = check(p, address, port);
    assertThat(d.allowed()).as(d.reason()).isEqualTo(allowed);
    if (allowed && !address.equals("11.0.0.1")) {
      assertThat(d.reason()).isEqualTo("allow-list");
    }
    if (!allowed) {
      assertThat(d.reason()).isEqualTo(DenyTable.expectedReason(Addr.of(address)));
    }
  }

  @Test
  void perUserEntriesAreLayeredOverTheGlobalList() {
    var p = new DefaultDestinationPolicy("10.0.0.0/8:443", "", Set.of());
    var alice = user("192.168.10.0/24:5432", "[fd00::]/8:80-81, 127.0.0.1:6379");
    var bob = user("172.16.0.0/12:*");

    assertThat(p.check(alice, Addr.of("192.168.10.20"), 5432))
        .isEqualTo(PolicyDecision.allow("user-allow-list"));
    assertThat(p.check(alice, Addr.of("192.168.10.20"), 5433))
        .isEqualTo(PolicyDecision.deny("private"));
    assertThat(p.check(alice, Addr.of("192.168.11.20"), 5432))
        .isEqualTo(PolicyDecision.deny("private"));
    assertThat(p.check(alice, Addr.of("fd00::5"), 81))
        .isEqualTo(PolicyDecision.allow("user-allow-list"));
    assertThat(p.check(alice, Addr.of("fd00::5"), 82)).isEqualTo(PolicyDecision.deny("private"));
    assertThat(p.check(alice, Addr.of("127.0.0.1"), 6379))
        .isEqualTo(PolicyDecision.allow("user-allow-list"));
    assertThat(p.check(alice, Addr.of("10.9.9.9"), 443))
        .isEqualTo(PolicyDecision.allow("allow-list"));
    // one user's entries do not leak to another user or to anonymous principals
    assertThat(p.check(bob, Addr.of("192.168.10.20"), 5432))
        .isEqualTo(PolicyDecision.deny("private"));
    assertThat(p.check(bob, Addr.of("172.20.0.1"), 9))
        .isEqualTo(PolicyDecision.allow("user-allow-list"));
    assertThat(p.check(ANON, Addr.of("172.20.0.1"), 9)).isEqualTo(PolicyDecision.deny("private"));
    assertThat(p.check(null, Addr.of("172.20.0.1"), 9)).isEqualTo(PolicyDecision.deny("private"));
  }

  @Test
  void badPerUserEntriesAreSkippedNotThrown() {
    var p = new DefaultDestinationPolicy();
    var u = user("10.0.0.0/8:99999", "not-an-ip:80", "192.168.0.0/16:22");
    assertThat(p.check(u, Addr.of("10.0.0.1"), 80)).isEqualTo(PolicyDecision.deny("private"));
    assertThat(p.check(u, Addr.of("192.168.3.4"), 22))
        .isEqualTo(PolicyDecision.allow("user-allow-list"));
  }

  @Test
  void perUserListsAreParsedOnceAndCachedByContent() {
    var cache = new PrincipalListCache();
    List<String> a = List.of("10.0.0.0/8:443");
    List<String> b = new ArrayList<>(a);
    CidrPortList first = cache.get(a);
    assertThat(cache.get(a)).isSameAs(first);
    assertThat(cache.get(b)).isSameAs(first);
    b.add(
        "192.168.0.0/16:*"); // the cache copied its key, mutation of the caller's list is harmless
    assertThat(cache.get(a)).isSameAs(first);
    assertThat(cache.get(b)).isNotSameAs(first);
    assertThat(cache.size()).isEqualTo(2);
  }

  @Test
  void selfAddressesAreDeniedOnEveryPortUnlessAllowed() throws Exception {
    InetAddress pub4 = Addr.of("203.0.114.7");
    InetAddress pub6 = Addr.of("2a01:4f8::7");
    var p = new DefaultDestinationPolicy("", "", Set.of(pub4, pub6, Addr.of("127.0.0.1")));
    for (int port : new int[] {1, 80, 5432, 9443, 65535}) {
      assertThat(p.check(ANON, pub4, port)).isEqualTo(PolicyDecision.deny("self"));
      assertThat(p.check(ANON, pub6, port)).isEqualTo(PolicyDecision.deny("self"));
      assertThat(p.check(ANON, Addr.of("127.0.0.1"), port)).isEqualTo(PolicyDecision.deny("self"));
    }
    assertThat(p.check(ANON, Addr.of("203.0.114.8"), 80)).isEqualTo(PolicyDecision.allow("public"));
    assertThat(p.check(ANON, Addr.of("2a01:4f8::8"), 80)).isEqualTo(PolicyDecision.allow("public"));
    var opened = p.withAllowList("203.0.114.7:443");
    assertThat(opened.check(ANON, pub4, 443)).isEqualTo(PolicyDecision.allow("allow-list"));
    assertThat(opened.check(ANON, pub4, 444)).isEqualTo(PolicyDecision.deny("self"));
    assertThat(p.check(ANON, pub4, 443))
        .as("original unchanged")
        .isEqualTo(PolicyDecision.deny("self"));
  }

  @Test
  void localInterfaceAddressesIncludeLoopbackAndAreDeniedAsSelf() {
    Set<InetAddress> local = DefaultDestinationPolicy.localInterfaceAddresses();
    assertThat(local).anyMatch(InetAddress::isLoopbackAddress);
    var p = new DefaultDestinationPolicy().withSelfAddresses(local);
    for (InetAddress a : local) {
      assertThat(p.check(ANON, a, 9080)).as(a.toString()).isEqualTo(PolicyDecision.deny("self"));
    }
  }

  @Test
  void extraDenyListBlocksPublicDestinationsAndUserAllowOverridesIt() {
    var p = new DefaultDestinationPolicy("", "0.0.0.0/0:25, [::]/0:25, 1.2.3.0/24:*", Set.of());
    assertThat(check(p, "8.8.8.8", 25)).isEqualTo(PolicyDecision.deny("deny-list"));
    assertThat(check(p, "8.8.8.8", 26)).isEqualTo(PolicyDecision.allow("public"));
    assertThat(check(p, "2606:4700::1", 25)).isEqualTo(PolicyDecision.deny("deny-list"));
    assertThat(check(p, "1.2.3.4", 443)).isEqualTo(PolicyDecision.deny("deny-list"));
    assertThat(check(p, "10.0.0.1", 25)).isEqualTo(PolicyDecision.deny("private"));
    assertThat(p.check(user("8.8.8.0/24:25"), Addr.of("8.8.8.8"), 25))
        .isEqualTo(PolicyDecision.allow("user-allow-list"));
  }

  @Test
  void ipv4RulesNeverMatchEmbeddedIpv6Forms() {
    var p = new DefaultDestinationPolicy("0.0.0.0/0:*", "", Set.of());
    assertThat(p.check(ANON, Addr.mapped(0x08080808), 443))
        .isEqualTo(PolicyDecision.deny("ipv4-embedded"));
    var explicit = p.withAllowList("[::ffff:8.8.8.8]/128:443");
    assertThat(explicit.check(ANON, Addr.mapped(0x08080808), 443))
        .isEqualTo(PolicyDecision.allow("allow-list"));
  }

  @Test
  void withersMakeIndependentCopies() {
    var p = new DefaultDestinationPolicy();
    var q = p.withAllowList("10.0.0.0/8:443").withDenyList("0.0.0.0/0:25");
    assertThat(p.allowList().isEmpty()).isTrue();
    assertThat(p.denyList().isEmpty()).isTrue();
    assertThat(q.allowList().toString()).isEqualTo("10.0.0.0/8:443");
    assertThat(q.denyList().toString()).isEqualTo("0.0.0.0/0:25");
    assertThat(check(q, "10.0.0.1", 443).allowed()).isTrue();
    assertThat(check(p, "10.0.0.1", 443).allowed()).isFalse();
    assertThatThrownBy(() -> p.withAllowList("10.0.0.0/8:x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("10.0.0.0/8:x");
  }

  @Test
  void builtInTableIsExposedInOrder() {
    var table = DefaultDestinationPolicy.builtInDenyRanges();
    assertThat(table.get(Cidr.parse("169.254.0.0/16"))).isEqualTo("link-local");
    assertThat(table.get(Cidr.parse("[2002::]/16"))).isEqualTo("ipv4-embedded");
    assertThat(table).hasSize(DenyTable.RANGES.size() + 1);
  }

  @Test
  void mappedTestHelperReallyBuildsIpv6() {
    // Guard for the tests above: InetAddress.getByAddress would turn ::ffff:a.b.c.d into IPv4.
    assertThat(Addr.mapped(0x7f000001)).isInstanceOf(Inet6Address.class);
    assertThat(Addr.of("::ffff:127.0.0.1")).isInstanceOf(Inet6Address.class);
  }
}
