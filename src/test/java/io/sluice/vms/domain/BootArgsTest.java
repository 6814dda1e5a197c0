package io.sluice.vms.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The kernel {@code ip=} line and netmasks. */
class BootArgsTest {

  @Test
  void firecrackerStyleLine() {
    assertThat(BootArgs.ipLine("192.168.100.7", "192.168.100.1", 24))
        .isEqualTo("ip=192.168.100.7::192.168.100.1:255.255.255.0::eth0:off");
    assertThat(BootArgs.ipLine("10.4.3.2", null, 16))
        .isEqualTo("ip=10.4.3.2:::255.255.0.0::eth0:off");
  }

  @Test
  void netmasks() {
    assertThat(BootArgs.netmask(0)).isEqualTo("0.0.0.0");
    assertThat(BootArgs.netmask(8)).isEqualTo("255.0.0.0");
    assertThat(BootArgs.netmask(20)).isEqualTo("255.255.240.0");
    assertThat(BootArgs.netmask(30)).isEqualTo("255.255.255.252");
    assertThat(BootArgs.netmask(32)).isEqualTo("255.255.255.255");
    assertThatThrownBy(() -> BootArgs.netmask(33)).isInstanceOf(IllegalArgumentException.class);
  }
}
