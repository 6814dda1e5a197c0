package io.sluice.tor.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TorrcLinesTest {

  @Test
  void allowedKeysPassCommentsAreDropped() {
    assertThat(TorrcLines.check(List.of("# hi", "", " ExitNodes {de} ", "strictnodes 1"), false))
        .containsExactly("ExitNodes {de}", "strictnodes 1");
    assertThat(TorrcLines.check(List.of("DisableNetwork 1", "GeoIPFile /tmp/geoip"), true))
        .hasSize(2);
  }

  @Test
  void dangerousKeysAreRefused() {
    for (String bad :
        List.of(
            "ControlPort 0.0.0.0:9051",
            "SocksPort 0.0.0.0:9050",
            "DataDirectory /tmp",
            "HashedControlPassword 16:00",
            "__OwningControllerProcess 1",
            "ClientTransportPlugin obfs4 exec /bin/sh",
            "Log debug file /etc/passwd",
            "%include /etc",
            "+ExitNodes {de}",
            "/ExitNodes",
            "ExitNodes {de}\\",
            "ExitNodes {de}\u0000")) {
      assertThatThrownBy(() -> TorrcLines.check(List.of(bad), true))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> TorrcLines.check(List.of("DisableNetwork 0"), false))
        .hasMessageContaining("DisableNetwork is not allowed");
  }
}
