package io.sluice.engine.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CidrPortListTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "127.0.0.1/32:8000-8999 | 127.0.0.1/32:8000-8999",
        "10.0.0.0/8:443 | 10.0.0.0/8:443",
        "  10.0.0.0 / 8 :  443 - 444  | 10.0.0.0/8:443-444",
        "192.0.2.7:* | 192.0.2.7/32:*",
        "0.0.0.0/0:0-65535 | 0.0.0.0/0:*",
        "[::1]/128:8000-8999 | [::1]/128:8000-8999",
        "[::1]:80 | [::1]/128:80",
        "[ 2001:DB8:0:0::0 ]/32:1-1 | [2001:db8::]/32:1",
        "[::ffff:10.0.0.0]/104:* | [::ffff:a00:0]/104:*",
        "[::]/0:25 | [::]/0:25",
      })
  void parsesAndFormatsCanonically(String text, String canonical) {
    CidrPortRule r = CidrPortRule.parse(text);
    assertThat(r.toString()).isEqualTo(canonical);
    assertThat(CidrPortRule.parse(canonical)).isEqualTo(r);
  }

  @Test
  void ruleComponents() {
    CidrPortRule r = CidrPortRule.parse("[fd00::]/8:80-81");
    assertThat(r.cidr().isIPv4()).isFalse();
    assertThat(r.cidr().prefixLength()).isEqualTo(8);
    assertThat(r.portFrom()).isEqualTo(80);
    assertThat(r.portTo()).isEqualTo(81);
    assertThat(r.matches(Addr.of("fdff::1"), 81)).isTrue();
    assertThat(r.matches(Addr.of("fdff::1"), 82)).isFalse();
    assertThat(r.matches(Addr.of("fe00::1"), 80)).isFalse();
    assertThat(r.matches(Addr.of("10.0.0.1"), 80)).isFalse();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "10.0.0.0/8:70000 | 70000 > 65535",
        "10.0.0.0/8:65536 | 65536 > 65535",
        "10.0.0.0/8:9000-8000 | reversed",
        "10.0.0.0/8 | missing ':PORTS'",
        "10.0.0.0/8: | missing ports",
        "10.0.0.0/8:80- | missing port number",
        "10.0.0.0/8:-80 | missing port number",
        "10.0.0.0/8:http | not a number",
        "10.0.0.0/8:+80 | not a number",
        "10.0.0.0/8:123456 | not a number",
        "10.0.0.0/33:80 | prefix length 33 > 32",
        "10.0.0.0/x:80 | prefix length must be a number",
        "10.0.0.0/:80 | prefix length must be a number",
        "10.0.0.1/8:80 | host bits are set",
        "10.0.0.256:80 | not an IP address",
        "10.1:80 | not an IP address",
        "010.0.0.1:80 | not an IP address",
        "0x0a000001:80 | not an IP address",
        "10.0.0.*:80 | not an IP address",
        "example.com:80 | not an IP address",
        "/8:80 | missing address",
        "::1:80 | brackets",
        "2001:db8::/32:80 | brackets",
        "[::1:80 | missing ']'",
        "[::1]/129:80 | prefix length 129 > 128",
        "[::1]/128 | missing ':PORTS'",
        "[10.0.0.1]:80 | IPv6 addresses only",
        "[fe80::1%eth0]:80 | zones",
        "[::1]x:80 | unexpected",
      })
  void badEntriesAreRejectedWithAMessageNamingThem(String entry, String why) {
    assertThatThrownBy(() -> CidrPortRule.parse(entry))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"" + entry + "\"")
        .hasMessageContaining(why);
    // the same entry inside a list is named as well
    assertThatThrownBy(() -> CidrPortList.parse("8.8.8.8:53, " + entry + " ,1.1.1.1:53"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(entry.strip());
  }

  @Test
  void hostBitsErrorSuggestsTheNetwork() {
    assertThatThrownBy(() -> CidrPortRule.parse("10.1.2.3/8:80"))
        .hasMessageContaining("did you mean 10.0.0.0/8");
  }

  @Test
  void emptyEntries() {
    assertThat(CidrPortList.parse("")).isSameAs(CidrPortList.EMPTY);
    assertThat(CidrPortList.parse("   ")).isSameAs(CidrPortList.EMPTY);
    assertThat(CidrPortList.parse((String) null)).isSameAs(CidrPortList.EMPTY);
    assertThatThrownBy(() -> CidrPortRule.parse(" ")).hasMessageContaining("empty entry");
    assertThatThrownBy(() -> CidrPortList.parse("10.0.0.0/8:443,,1.1.1.1:53"))
        .hasMessageContaining("empty entry");
    assertThatThrownBy(() -> CidrPortList.parse("10.0.0.0/8:443,"))
        .hasMessageContaining("empty entry");
    assertThatThrownBy(() -> CidrPortList.parse(List.of("10.0.0.0/8:443", " ")))
        .hasMessageContaining("empty entry");
  }

  @Test
  void listMatchingAndUnion() {
    CidrPortList l = CidrPortList.parse("127.0.0.1/32:8000-8999,10.0.0.0/8:443, [::1]/128:8080");
    assertThat(l.rules()).hasSize(3);
    assertThat(l.matches(Addr.of("127.0.0.1"), 8000)).isTrue();
    assertThat(l.matches(Addr.of("127.0.0.1"), 9000)).isFalse();
    assertThat(l.matches(Addr.of("10.200.0.1"), 443)).isTrue();
    assertThat(l.matches(Addr.of("11.0.0.1"), 443)).isFalse();
    assertThat(l.matches(Addr.of("::1"), 8080)).isTrue();
    assertThat(l.matches(Addr.of("::ffff:127.0.0.1"), 8000)).as("family strict").isFalse();
    CidrPortList u = l.with(CidrPortList.parse(List.of("192.168.0.0/16:22,10.0.0.0/8:443")));
    assertThat(u.rules()).hasSize(4);
    assertThat(u.matches(Addr.of("192.168.0.1"), 22)).isTrue();
    assertThat(CidrPortList.parse(u.toString())).isEqualTo(u);
    assertThat(CidrPortList.EMPTY.matches(Addr.of("8.8.8.8"), 53)).isFalse();
  }

  @Test
  void cidrParsesBareIpv6AndBrackets() {
    assertThat(Cidr.parse("2001:db8::/32")).isEqualTo(Cidr.parse("[2001:db8::]/32"));
    assertThat(Cidr.parse("::1").toString()).isEqualTo("[::1]/128");
    assertThat(Cidr.parse("192.0.2.1").toString()).isEqualTo("192.0.2.1/32");
    assertThat(Cidr.parse("0.0.0.0/0").contains(Addr.of("255.1.2.3"))).isTrue();
    assertThat(Cidr.parse("[::]/0").contains(Addr.of("ffff::1"))).isTrue();
    assertThat(Cidr.parse("[::]/0").contains(Addr.of("1.2.3.4"))).isFalse();
    assertThat(Cidr.host(Addr.of("2001:db8::5"))).isEqualTo(Cidr.parse("[2001:db8::5]/128"));
  }
}
