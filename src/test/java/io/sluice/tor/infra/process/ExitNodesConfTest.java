package io.sluice.tor.infra.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ExitNodesConfTest {

  private static final String FP = "0123456789abcdef0123456789abcdef01234567";

  @Test
  void aPinNamesOneRelayStrictly() {
    assertThat(ExitNodesConf.pin(FP))
        .isEqualTo("SETCONF ExitNodes=\"$0123456789ABCDEF0123456789ABCDEF01234567\" StrictNodes=1");
  }

  @Test
  void aPinRefusesAnythingButAFingerprint() {
    for (String bad : List.of("", "{de}", FP + "0", FP.substring(1) + "\"", "x\r\nSIGNAL HALT")) {
      assertThatThrownBy(() -> ExitNodesConf.pin(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void unpinGoesBackToTheCountriesThenTheExtraLinesThenTheDefaults() {
    assertThat(ExitNodesConf.unpin(List.of("de", "us"), List.of("ExitNodes {fr}")))
        .isEqualTo("SETCONF ExitNodes=\"{de},{us}\" StrictNodes=1");
    assertThat(ExitNodesConf.unpin(List.of(), List.of("ExitNodes {fr},{nl}", "StrictNodes 1")))
        .isEqualTo("SETCONF ExitNodes=\"{fr},{nl}\" StrictNodes=\"1\"");
    assertThat(ExitNodesConf.unpin(List.of(), List.of("exitnodes {fr}")))
        .isEqualTo("SETCONF ExitNodes=\"{fr}\" StrictNodes");
    assertThat(ExitNodesConf.unpin(List.of(), List.of("NumEntryGuards 3")))
        .isEqualTo("RESETCONF ExitNodes StrictNodes");
    assertThatThrownBy(() -> ExitNodesConf.unpin(List.of("DE\""), List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
