package io.sluice.engine.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SelfAddressesTest {

  private static InetAddress ip(String literal) throws UnknownHostException {
    return InetAddress.getByName(literal);
  }

  @Test
  void keepsOrderDropsNullsAndDuplicates() throws UnknownHostException {
    SelfAddresses s =
        new SelfAddresses(Arrays.asList(ip("192.0.2.7"), null, ip("2001:db8::7"), ip("192.0.2.7")));
    assertThat(s.addresses()).containsExactly(ip("192.0.2.7"), ip("2001:db8::7"));
    assertThat(new SelfAddresses(null).addresses()).isEmpty();
  }

  @Test
  void matchesEachFamilyExactly() throws UnknownHostException {
    SelfAddresses s = new SelfAddresses(List.of(ip("192.0.2.7"), ip("2001:db8::7")));
    assertThat(s.containsIPv4(Cidr.toInt(ip("192.0.2.7").getAddress()))).isTrue();
    assertThat(s.containsIPv4(Cidr.toInt(ip("192.0.2.8").getAddress()))).isFalse();
    byte[] b = ip("2001:db8::7").getAddress();
    assertThat(s.containsIPv6(Cidr.toLong(b, 0), Cidr.toLong(b, 8))).isTrue();
    assertThat(s.containsIPv6(Cidr.toLong(b, 0), Cidr.toLong(b, 8) + 1)).isFalse();
  }
}
