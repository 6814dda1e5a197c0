package io.sluice.engine.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FlowControlTest {

  @Test
  void defaults() {
    FlowControl fc = new FlowControl();
    assertThat(fc.initialWindow()).isEqualTo(256 * 1024);
    assertThat(fc.sendCredit()).isEqualTo(256 * 1024);
    assertThat(fc.receiveCredit()).isEqualTo(256 * 1024);
    assertThat(fc.grantThreshold()).isEqualTo(128 * 1024);
  }

  @Test
  void senderStopsAtZeroCreditAndWindowResumes() {
    FlowControl fc = new FlowControl(100);
    assertThat(fc.sendable(60)).isEqualTo(60);
    fc.consume(60);
    assertThat(fc.sendable(60)).isEqualTo(40);
    fc.consume(40);
    assertThat(fc.sendCredit()).isZero();
    assertThat(fc.sendBlocked()).isTrue();
    assertThat(fc.sendable(1)).isZero();
    assertThatThrownBy(() -> fc.consume(1)).isInstanceOf(IllegalStateException.class);
    assertThat(fc.grant(30)).isTrue();
    assertThat(fc.sendBlocked()).isFalse();
    assertThat(fc.sendable(100)).isEqualTo(30);
    fc.consume(30);
    assertThat(fc.sendBlocked()).isTrue();
  }

  @Test
  void invalidGrantsAreRejectedWithoutChangingCredit() {
    FlowControl fc = new FlowControl(100);
    assertThat(fc.grant(0)).isFalse();
    assertThat(fc.grant(-5)).isFalse();
    assertThat(fc.grant(Integer.MAX_VALUE - 100 + 1)).as("credit above 2^31-1").isFalse();
    assertThat(fc.sendCredit()).isEqualTo(100);
    assertThat(fc.grant(Integer.MAX_VALUE - 100)).isTrue();
    assertThat(fc.sendCredit()).isEqualTo(Integer.MAX_VALUE);
  }

  @Test
  void overrunIsDetected() {
    FlowControl fc = new FlowControl(100);
    assertThat(fc.receive(100)).isTrue();
    assertThat(fc.receiveCredit()).isZero();
    assertThat(fc.receive(1)).as("DATA beyond the advertised window").isFalse();
    assertThat(fc.buffered()).isEqualTo(100);

    FlowControl other = new FlowControl(100);
    assertThat(other.receive(101)).isFalse();
    assertThat(other.buffered()).isZero();
    assertThat(other.receive(0)).isFalse();
  }

  @Test
  void toGrantWaitsForHalfTheWindowToBeDrained() {
    FlowControl fc = new FlowControl(100);
    assertThat(fc.receive(80)).isTrue();
    assertThat(fc.toGrant()).as("nothing drained yet").isZero();
    fc.consumed(49);
    assertThat(fc.toGrant()).as("below threshold").isZero();
    fc.consumed(1);
    assertThat(fc.toGrant()).isEqualTo(50);
    assertThat(fc.toGrant()).as("granted only once").isZero();
    assertThat(fc.receiveCredit()).isEqualTo(20 + 50);
    assertThat(fc.buffered()).isEqualTo(30);
    assertThatThrownBy(() -> fc.consumed(31)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void customThreshold() {
    FlowControl fc = new FlowControl(100, 10);
    fc.receive(10);
    fc.consumed(10);
    assertThat(fc.toGrant()).isEqualTo(10);
    assertThatThrownBy(() -> new FlowControl(100, 101))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new FlowControl(100, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new FlowControl(0)).isInstanceOf(IllegalArgumentException.class);
  }

  /** Two streams over one connection: a slow reader on one must not stop the other. */
  @Test
  void slowReaderStallsOnlyItsOwnStream() {
    int window = 1000;
    FlowControl slowSender = new FlowControl(window), slowReceiver = new FlowControl(window);
    FlowControl fastSender = new FlowControl(window), fastReceiver = new FlowControl(window);
    long slowDelivered = 0, fastDelivered = 0;
    for (int round = 0; round < 100; round++) {
      // sender side: push up to 300 bytes per stream per round within credit
      int s = slowSender.sendable(300);
      if (s > 0) {
        slowSender.consume(s);
        assertThat(slowReceiver.receive(s)).isTrue();
      }
      int f = fastSender.sendable(300);
      if (f > 0) {
        fastSender.consume(f);
        assertThat(fastReceiver.receive(f)).isTrue();
      }
      // receiver side: fast app drains everything, slow app drains nothing
      if (fastReceiver.buffered() > 0) {
        fastDelivered += fastReceiver.buffered();
        fastReceiver.consumed((int) fastReceiver.buffered());
      }
      int g = fastReceiver.toGrant();
      if (g > 0) assertThat(fastSender.grant(g)).isTrue();
      int sg = slowReceiver.toGrant();
      if (sg > 0) slowSender.grant(sg);
      slowDelivered = slowReceiver.buffered();
    }
    assertThat(slowSender.sendBlocked()).isTrue();
    assertThat(slowReceiver.buffered()).as("buffer bounded by the window").isEqualTo(window);
    assertThat(slowDelivered).isEqualTo(window);
    assertThat(fastDelivered).isGreaterThan(20_000);
    // the slow reader finally drains: credit flows again
    slowReceiver.consumed(window);
    int g = slowReceiver.toGrant();
    assertThat(g).isEqualTo(window);
    assertThat(slowSender.grant(g)).isTrue();
    assertThat(slowSender.sendable(300)).isEqualTo(300);
  }

  @Test
  void invariantHoldsUnderRandomOperations() {
    java.util.Random rnd = new java.util.Random(42);
    FlowControl fc = new FlowControl(4096);
    for (int i = 0; i < 100_000; i++) {
      switch (rnd.nextInt(3)) {
        case 0 -> {
          int n = 1 + rnd.nextInt(2000);
          boolean ok = fc.receive(n);
          assertThat(ok).isEqualTo(n <= fc.receiveCredit() + (ok ? n : 0));
        }
        case 1 -> {
          if (fc.buffered() > 0) fc.consumed(1 + rnd.nextInt((int) fc.buffered()));
        }
        default -> fc.toGrant();
      }
      assertThat(fc.receiveCredit()).isBetween(0L, 4096L);
      assertThat(fc.buffered()).isBetween(0L, 4096L);
    }
  }
}
