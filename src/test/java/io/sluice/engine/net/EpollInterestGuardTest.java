package io.sluice.engine.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.epoll.EpollIoOps;
import org.junit.jupiter.api.Test;

/**
 * The substitution itself; {@code Socks5ConnectTest.halfClosedClientStillReceivesALargeAnswer} is
 * the test that shows it matters (it fails on Netty's bare epoll handler).
 */
class EpollInterestGuardTest {

  @Test
  void anEmptyInterestSetBecomesEdgeTriggeredWithNoEvents() {
    assertThat(EpollInterestGuard.nonEmpty(EpollIoOps.NONE)).isEqualTo(EpollIoOps.EPOLLET);
  }

  @Test
  void anyOtherInterestSetIsNetty() {
    EpollIoOps in = EpollIoOps.EPOLLIN.with(EpollIoOps.EPOLLRDHUP);
    assertThat(EpollInterestGuard.nonEmpty(in)).isSameAs(in);
    assertThat(EpollInterestGuard.nonEmpty(EpollIoOps.EPOLLOUT)).isSameAs(EpollIoOps.EPOLLOUT);
  }
}
