package io.sluice.engine.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.engine.spi.PolicyDecision;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpecialPurposeRangesTest {

  private static PolicyDecision v4(String literal) throws UnknownHostException {
    return SpecialPurposeRanges.matchIPv4(Cidr.toInt(InetAddress.getByName(literal).getAddress()));
  }

  private static PolicyDecision v6(String literal) throws UnknownHostException {
    byte[] b = InetAddress.getByName(literal).getAddress();
    if (b.length == 4) { // the JDK folds ::ffff:a.b.c.d; build the 16 bytes by hand
      byte[] m = new byte[16];
      m[10] = (byte) 0xff;
      m[11] = (byte) 0xff;
      System.arraycopy(b, 0, m, 12, 4);
      b = m;
    }
    return SpecialPurposeRanges.matchIPv6(Cidr.toLong(b, 0), Cidr.toLong(b, 8));
  }

  @Test
  void ipv4RangesDenyWithTheirReason() throws UnknownHostException {
    assertThat(v4("127.0.0.1").reason()).isEqualTo(DefaultDestinationPolicy.LOOPBACK);
    assertThat(v4("10.1.2.3").reason()).isEqualTo(DefaultDestinationPolicy.PRIVATE);
    assertThat(v4("169.254.169.254").reason()).isEqualTo(DefaultDestinationPolicy.LINK_LOCAL);
    assertThat(v4("255.255.255.255").reason()).isEqualTo(DefaultDestinationPolicy.BROADCAST);
    assertThat(v4("240.0.0.1").reason()).isEqualTo(DefaultDestinationPolicy.RESERVED);
    assertThat(v4("100.64.0.1").reason()).isEqualTo(DefaultDestinationPolicy.CGNAT);
    assertThat(v4("127.0.0.1").allowed()).isFalse();
    assertThat(v4("8.8.8.8")).isNull();
    assertThat(v4("1.1.1.1")).isNull();
  }

  @Test
  void ipv6RangesAndEverythingOutsideGlobalUnicast() throws UnknownHostException {
    assertThat(v6("::1").reason()).isEqualTo(DefaultDestinationPolicy.LOOPBACK);
    assertThat(v6("::").reason()).isEqualTo(DefaultDestinationPolicy.UNSPECIFIED);
    assertThat(v6("::ffff:127.0.0.1").reason()).isEqualTo(DefaultDestinationPolicy.IPV4_EMBEDDED);
    assertThat(v6("64:ff9b::a9fe:a9fe").reason()).isEqualTo(DefaultDestinationPolicy.IPV4_EMBEDDED);
    assertThat(v6("2001:db8::1").reason()).isEqualTo(DefaultDestinationPolicy.DOCUMENTATION);
    assertThat(v6("fe80::1").reason()).isEqualTo(DefaultDestinationPolicy.LINK_LOCAL);
    assertThat(v6("4000::1").reason()).isEqualTo(DefaultDestinationPolicy.RESERVED);
    assertThat(v6("2606:4700:4700::1111")).isNull();
  }

  @Test
  void tableListsEveryRangeInOrderEndingWithOutsideGlobalUnicast() {
    List<Cidr> cidrs = List.copyOf(SpecialPurposeRanges.table().keySet());
    assertThat(cidrs.get(0)).isEqualTo(Cidr.parse("255.255.255.255/32"));
    assertThat(cidrs.get(cidrs.size() - 1)).isEqualTo(Cidr.parse("[::]/0"));
    assertThat(SpecialPurposeRanges.table().get(Cidr.parse("[::]/0")))
        .startsWith(DefaultDestinationPolicy.RESERVED);
    assertThat(DefaultDestinationPolicy.builtInDenyRanges()).isSameAs(SpecialPurposeRanges.table());
  }

  @Test
  void decisionsArePreallocated() throws UnknownHostException {
    assertThat(v4("10.0.0.1")).isSameAs(v4("10.9.9.9"));
    assertThat(v6("4000::1")).isSameAs(v6("5000::1"));
  }
}
