package io.sluice.engine.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SourceWhitelistTest {

  static final SourceWhitelist W =
      SourceWhitelist.parse("203.0.113.0/24, 198.51.100.7 ,[2001:db8::]/32, 2001:db8:ffff::/48");

  @ParameterizedTest
  @CsvSource({
    "203.0.113.0, true",
    "203.0.113.255, true",
    "203.0.112.255, false",
    "203.0.114.0, false",
    "198.51.100.7, true",
    "198.51.100.8, false",
    "::ffff:203.0.113.9, true",
    "::ffff:198.51.100.7, true",
    "::ffff:198.51.100.8, false",
    "::203.0.113.9, false",
    "64:ff9b::203.0.113.9, false",
    "2001:db8::1, true",
    "2001:db8:ffff:ffff::1, true",
    "2001:db9::1, false",
    "::1, false",
  })
  void matches(String client, boolean expected) {
    assertThat(W.matches(Addr.of(client))).isEqualTo(expected);
  }

  @Test
  void mappedClientMatchesIpv4CidrEvenWhenReportedAsInet6() throws Exception {
    InetAddress mapped = Addr.mapped(0xCB007101); // 203.0.113.1
    assertThat(mapped).isInstanceOf(java.net.Inet6Address.class);
    assertThat(W.matches(mapped)).isTrue();
    // what the JDK itself returns for a mapped literal (an Inet4Address) matches too
    assertThat(W.matches(InetAddress.getByName("::ffff:203.0.113.1"))).isTrue();
  }

  @Test
  void ipv4ClientMatchesMappedIpv6Cidr() {
    SourceWhitelist w = SourceWhitelist.parse("[::ffff:10.0.0.0]/104");
    assertThat(w.matches(Addr.of("10.9.8.7"))).isTrue();
    assertThat(w.matches(Addr.of("11.9.8.7"))).isFalse();
  }

  @Test
  void emptyMatchesNothing() {
    for (SourceWhitelist w :
        List.of(
            SourceWhitelist.EMPTY,
            SourceWhitelist.parse(""),
            SourceWhitelist.parse((String) null))) {
      assertThat(w.isEmpty()).isTrue();
      assertThat(w.matches(Addr.of("127.0.0.1"))).isFalse();
      assertThat(w.matches(Addr.of("::1"))).isFalse();
      assertThat(w.matches(Addr.of("::ffff:1.2.3.4"))).isFalse();
    }
  }

  @Test
  void everythingLists() {
    SourceWhitelist all = SourceWhitelist.parse("0.0.0.0/0,[::]/0");
    assertThat(all.matches(Addr.of("8.8.8.8"))).isTrue();
    assertThat(all.matches(Addr.of("2606:4700::1"))).isTrue();
    assertThat(SourceWhitelist.parse("0.0.0.0/0").matches(Addr.of("2606:4700::1"))).isFalse();
  }

  @Test
  void unionAndRoundTrip() {
    SourceWhitelist w = W.with(SourceWhitelist.parse(List.of("10.0.0.0/8", "192.168.1.1")));
    assertThat(w.matches(Addr.of("10.1.1.1"))).isTrue();
    assertThat(w.cidrs()).hasSize(6);
    assertThat(SourceWhitelist.parse(w.toString())).isEqualTo(w);
    assertThat(w.toString()).contains("[2001:db8::]/32");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "10.0.0.0/8,,10.0.0.1 | empty entry",
        "10.0.0.0/8, | empty entry",
        "10.0.0.0/33 | 10.0.0.0/33",
        "10.0.0.1/8 | host bits",
        "fe80::1%eth0 | zones",
        "banana | banana",
        "10.0.0.0/8:443 | 10.0.0.0/8:443",
      })
  void badInput(String text, String message) {
    assertThatThrownBy(() -> SourceWhitelist.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }
}
