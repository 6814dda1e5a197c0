package io.sluice.exports.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProxyEntryTest {

  @Test
  void bracketedIpv6IsStoredBare() {
    ProxyEntry e = new ProxyEntry("[2001:db8::1]", 1080, "u", "p", "socks5", null);
    assertThat(e.host()).isEqualTo("2001:db8::1");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        " ",
        "a b",
        "a\tb",
        "a\nb",
        "a\rb",
        "[::1",
        "::1]",
        "[]",
        "a\u00a0b",
        "a\u0000b"
      })
  void badHostsAreRejected(String host) {
    assertThatThrownBy(() -> new ProxyEntry(host, 1080, "u", "p", "socks5", null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1, 65536, Integer.MAX_VALUE})
  void badPortsAreRejected(int port) {
    assertThatThrownBy(() -> new ProxyEntry("h", port, "u", "p", "socks5", null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "SOCKS5", "https", "socks4", "=socks5", "http\r"})
  void badSchemesAreRejected(String scheme) {
    assertThatThrownBy(() -> new ProxyEntry("h", 1, "u", "p", scheme, null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void nullsAreRejectedExceptLabel() {
    assertThatThrownBy(() -> new ProxyEntry(null, 1, "u", "p", "http", null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new ProxyEntry("h", 1, null, "p", "http", null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new ProxyEntry("h", 1, "u", null, "http", null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new ProxyEntry("h", 1, "u", "p", null, null))
        .isInstanceOf(NullPointerException.class);
    assertThat(new ProxyEntry("h", 65535, "", "", "http", null).label()).isNull();
  }

  @Test
  void toStringMasksThePassword() {
    ProxyEntry e = new ProxyEntry("h", 1, "alice", "s3cr3t-pw", "http", "pool");
    assertThat(e.toString()).contains("alice").contains("pool").doesNotContain("s3cr3t-pw");
  }
}
