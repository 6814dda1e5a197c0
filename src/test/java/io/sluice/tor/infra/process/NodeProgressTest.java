package io.sluice.tor.infra.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A node's control events, as tor sends them (control-spec 4.1), applied in order. */
class NodeProgressTest {

  private final NodeProgress p = new NodeProgress();

  @Test
  void bootstrapPercentFollowsStatusClientEvents() {
    assertThat(
            p.apply(
                    "STATUS_CLIENT NOTICE BOOTSTRAP PROGRESS=45 TAG=loading_descriptors SUMMARY=\"x\"")
                .kind())
        .isEqualTo(NodeProgress.Kind.PROGRESS);
    assertThat(p.percent()).isEqualTo(45);
    assertThat(p.apply("STATUS_CLIENT NOTICE CIRCUIT_ESTABLISHED").kind())
        .isEqualTo(NodeProgress.Kind.NONE);
    assertThat(p.percent()).isEqualTo(45);
  }

  @Test
  void aRotationIsRequestedThenDeferredThenDoneAndForgetsTheUsedCircuit() {
    p.apply("STREAM 7 NEW 0 10.0.0.1:80 SOURCE_ADDR=127.0.0.1:5000 PURPOSE=USER");
    p.apply("STREAM 7 SUCCEEDED 12 10.0.0.1:80");
    assertThat(p.usedCircuit()).isEqualTo("12");

    p.requested();
    assertThat(p.rotating()).isTrue();
    assertThat(p.rotation()).isEqualTo("requested");
    NodeProgress.Outcome deferred =
        p.apply("NOTICE Rate limiting NEWNYM request: delaying by 8 second(s)");
    assertThat(deferred).isEqualTo(new NodeProgress.Outcome(NodeProgress.Kind.NEWNYM_DEFERRED, 8));
    assertThat(p.rotation()).isEqualTo("deferred");
    assertThat(p.rotating()).isTrue();
    assertThat(p.newnyms()).isZero();

    assertThat(p.apply("SIGNAL NEWNYM").kind()).isEqualTo(NodeProgress.Kind.NEWNYM_DONE);
    assertThat(p.rotation()).isEqualTo("done");
    assertThat(p.rotating()).isFalse();
    assertThat(p.newnyms()).isEqualTo(1);
    assertThat(p.lastRotationAt()).isNotNull();
    assertThat(p.usedCircuit()).as("the exit is unknown until the next stream").isNull();
  }

  @Test
  void livenessDownCountsFromTheFirstDownEventAndUpClearsIt() throws InterruptedException {
    p.apply("NETWORK_LIVENESS DOWN");
    Thread.sleep(20);
    p.apply("NETWORK_LIVENESS DOWN"); // a repeat does not restart the clock
    assertThat(p.livenessDownLongerThan(Duration.ofMillis(10))).isTrue();
    assertThat(p.livenessDownLongerThan(Duration.ofHours(1))).isFalse();
    p.apply("NETWORK_LIVENESS UP");
    assertThat(p.livenessDownLongerThan(Duration.ZERO)).isFalse();
  }
}
