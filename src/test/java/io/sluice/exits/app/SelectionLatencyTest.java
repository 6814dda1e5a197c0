package io.sluice.exits.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.exits.domain.ExitNodeEntity;
import org.junit.jupiter.api.Test;

/** The latency least-latency selects by: the EWMA, else the last check, else none. */
class SelectionLatencyTest {

  @Test
  void anExitNeverCheckedHasNoLatencyInsteadOfFailingTheSnapshot() {
    ExitNodeEntity e = new ExitNodeEntity();
    assertThat(ExitSnapshotLoader.selectionLatency(e)).isNull();
    e.latencyMs = 40;
    assertThat(ExitSnapshotLoader.selectionLatency(e)).isEqualTo(40);
    e.latencyEwmaMs = 12.6;
    assertThat(ExitSnapshotLoader.selectionLatency(e)).isEqualTo(13);
  }
}
