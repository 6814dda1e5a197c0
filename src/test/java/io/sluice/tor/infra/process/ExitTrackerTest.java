package io.sluice.tor.infra.process;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The parsing of GETINFO answers, with the shapes control-spec section 4.1 gives. */
class ExitTrackerTest {

  static final String FP1 = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
  static final String FP2 = "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB";
  static final String FP3 = "cccccccccccccccccccccccccccccccccccccccc";

  @Test
  void theLastHopOfTheStreamsCircuit() {
    String circuits =
        "7 BUILT $"
            + FP1
            + "~guard,$"
            + FP2
            + "~middle,$"
            + FP3
            + "~exit BUILD_FLAGS=NEED_CAPACITY PURPOSE=GENERAL\n"
            + "8 BUILT $"
            + FP1
            + "~guard,$"
            + FP2
            + "~last PURPOSE=GENERAL";
    assertThat(ExitTracker.exitOf(circuits, "7")).isEqualTo(FP3.toUpperCase());
    assertThat(ExitTracker.exitOf(circuits, "8")).isEqualTo(FP2);
    // no stream: unknown (tor picks among its clean circuits only when a stream comes)
    assertThat(ExitTracker.exitOf(circuits, null)).isNull();
    assertThat(ExitTracker.exitOf(circuits, "9")).isNull();
    assertThat(ExitTracker.exitOf("9 LAUNCHED", null)).isNull();
    assertThat(ExitTracker.exitOf("", "7")).isNull();
  }

  @Test
  void theCircuitOfAUsersSucceededStream() {
    ExitTracker.Streams streams = new ExitTracker.Streams();
    assertThat(
            streams.onEvent(
                "STREAM 12 NEW 0 10.99.0.1:8088 SOURCE_ADDR=127.0.0.1:40000 PURPOSE=USER"))
        .isNull();
    assertThat(streams.onEvent("STREAM 12 SENTCONNECT 7 10.99.0.1:8088")).isNull();
    assertThat(streams.onEvent("STREAM 12 SUCCEEDED 7 10.99.0.1:8088")).isEqualTo("7");
    // tor's own directory streams end at a directory, not at an exit
    assertThat(streams.onEvent("STREAM 13 NEW 0 127.0.0.1:7000 PURPOSE=DIR_FETCH")).isNull();
    assertThat(streams.onEvent("STREAM 13 SUCCEEDED 3 127.0.0.1:7000")).isNull();
    // a stream whose NEW was not seen is not taken
    assertThat(streams.onEvent("STREAM 14 SUCCEEDED 5 10.99.0.1:8088")).isNull();
    assertThat(streams.onEvent("STREAM 15 NEW 0 x:1 PURPOSE=USER")).isNull();
    assertThat(streams.onEvent("STREAM 15 FAILED 0 x:1")).isNull();
    assertThat(streams.onEvent("STREAM 15 SUCCEEDED 0 x:1")).isNull();
    assertThat(streams.onEvent("STREAM 16")).isNull();
  }

  @Test
  void theRelaysAddress() {
    String ns =
        "r exit1 qqqqqqqqqqqqqqqqqqqqqqqqqqo dddddddddddddddddddddddddd 2026-12-05 12:00:00 127.0.0.21 5021 0\n"
            + "s Exit Fast Running Valid\n";
    assertThat(ExitTracker.addressOf(ns)).isEqualTo("127.0.0.21");
    assertThat(ExitTracker.addressOf("s Exit\n")).isNull();
    assertThat(ExitTracker.addressOf(null)).isNull();
  }

  @Test
  void progressAndDeferredNotices() {
    assertThat(BootstrapPhase.progress("NOTICE BOOTSTRAP PROGRESS=45 TAG=loading_descriptors"))
        .isEqualTo(45);
    assertThat(BootstrapPhase.progress("STATUS_CLIENT NOTICE CIRCUIT_ESTABLISHED")).isEqualTo(-1);
    assertThat(
            BootstrapPhase.newnymDelay(
                "NOTICE Rate limiting NEWNYM request: delaying by 7 second(s)"))
        .isEqualTo(7);
    assertThat(BootstrapPhase.newnymDelay("NOTICE something else")).isEqualTo(-1);
    assertThat(NodeControl.socksPortOf("\"127.0.0.1:30001\"")).isEqualTo(30001);
    assertThat(NodeControl.socksPortOf("")).isNull();
  }

  @Test
  void backoffDoublesIsCappedAndJittered() {
    Timing t = TorFleetTest.timing(java.time.Duration.ofMinutes(5));
    assertThat(t.backoffMillis(1, 0.0)).isEqualTo(500);
    assertThat(t.backoffMillis(1, 0.999)).isBetween(990L, 1000L);
    assertThat(t.backoffMillis(2, 0.0)).isEqualTo(1000);
    assertThat(t.backoffMillis(3, 0.0)).isEqualTo(2000);
    assertThat(t.backoffMillis(10, 0.0)).isEqualTo(4000); // capped at 8 s before jitter
    assertThat(t.backoffMillis(100, 0.5)).isEqualTo(6000);
  }

  @Test
  void openCircuitsAreTheLaunchedExtendedAndBuiltOnes() {
    String status =
        String.join(
            "\n",
            "5 BUILT $" + FP1 + "~a,$" + FP2 + "~b PURPOSE=GENERAL",
            "6 EXTENDED $" + FP1 + "~a PURPOSE=GENERAL",
            "7 LAUNCHED PURPOSE=GENERAL",
            "8 FAILED $" + FP1 + "~a REASON=TIMEOUT",
            "9 CLOSED $" + FP1 + "~a REASON=FINISHED",
            "x BUILT injected");
    org.assertj.core.api.Assertions.assertThat(ExitTracker.openCircuits(status))
        .containsExactly("5", "6", "7");
    org.assertj.core.api.Assertions.assertThat(ExitTracker.openCircuits(null)).isEmpty();
  }
}
