package io.sluice.engine.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollSocketChannel;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

/**
 * The relay's splice queue replaces Netty's 4.6 KB one: the field is found in the Netty in use (a
 * Netty that renames it fails here rather than silently costing 9 KB per idle tunnel), and a queue
 * already there is kept.
 */
class SpliceQueueTest {

  @Test
  void nettysFieldIsFound() {
    assertThat(SpliceQueue.available()).isTrue();
  }

  @Test
  void installsASmallQueueOnce() throws Exception {
    assumeTrue(Epoll.isAvailable(), "epoll");
    EpollSocketChannel ch = new EpollSocketChannel();
    try {
      assertThat(SpliceQueue.of(ch)).isNull();
      SpliceQueue.install(ch);
      Object first = SpliceQueue.of(ch);
      assertThat(first).isInstanceOf(ConcurrentLinkedQueue.class);
      SpliceQueue.install(ch);
      assertThat(SpliceQueue.of(ch)).isSameAs(first);
    } finally {
      ch.unsafe().closeForcibly();
    }
  }
}
