package io.sluice.engine.socks5;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.sluice.engine.exit.FailureKind;
import io.sluice.engine.wire.Socks5Reply;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class Socks5ReplyTest {

  private static final List<Socks5Reply> ASSIGNED =
      List.of(
          Socks5Reply.SUCCEEDED,
          Socks5Reply.FAILURE,
          Socks5Reply.NOT_ALLOWED,
          Socks5Reply.NETWORK_UNREACHABLE,
          Socks5Reply.HOST_UNREACHABLE,
          Socks5Reply.CONNECTION_REFUSED,
          Socks5Reply.TTL_EXPIRED,
          Socks5Reply.COMMAND_UNSUPPORTED,
          Socks5Reply.ADDRESS_UNSUPPORTED);

  @Test
  void constantsCarryTheRfc1928Codes() {
    for (int i = 0; i < ASSIGNED.size(); i++) {
      Socks5Reply r = ASSIGNED.get(i);
      assertThat(r.code()).isEqualTo(i);
      assertThat(r.byteValue()).isEqualTo((byte) i);
      assertThat(r.isAssigned()).isTrue();
      assertThat(Socks5Reply.valueOf((byte) i)).isSameAs(r);
    }
    assertThat(Socks5Reply.SUCCEEDED.isSuccess()).isTrue();
    assertThat(ASSIGNED.subList(1, ASSIGNED.size())).noneMatch(Socks5Reply::isSuccess);
  }

  @Test
  void unknownCodesAreKeptNotRejected() {
    Socks5Reply r = Socks5Reply.valueOf((byte) 0x2a);
    assertThat(r.code()).isEqualTo(0x2a);
    assertThat(r.isAssigned()).isFalse();
    assertThat(r.isSuccess()).isFalse();
    assertThat(r)
        .isEqualTo(Socks5Reply.valueOf((byte) 0x2a))
        .hasSameHashCodeAs(Socks5Reply.valueOf((byte) 0x2a));
    assertThat(r).isNotEqualTo(Socks5Reply.FAILURE);
    Socks5Reply high = Socks5Reply.valueOf((byte) 0xFF);
    assertThat(high.code()).isEqualTo(255);
    assertThat(high.byteValue()).isEqualTo((byte) 0xFF);
  }

  @Test
  void namesAndOrder() {
    assertThat(Socks5Reply.NOT_ALLOWED).hasToString("NOT_ALLOWED(0x02)");
    assertThat(Socks5Reply.valueOf((byte) 0x2a)).hasToString("UNASSIGNED(0x2a)");
    assertThat(Socks5Reply.FAILURE).isLessThan(Socks5Reply.NOT_ALLOWED);
    assertThat(Socks5Reply.valueOf((byte) 0xFF)).isGreaterThan(Socks5Reply.ADDRESS_UNSUPPORTED);
  }

  @Test
  void failureKindsMapToReplies() {
    assertThat(Socks5Replies.replyFor(FailureKind.DENIED)).isSameAs(Socks5Reply.NOT_ALLOWED);
    assertThat(Socks5Replies.replyFor(FailureKind.LIMIT)).isSameAs(Socks5Reply.NOT_ALLOWED);
    assertThat(Socks5Replies.replyFor(FailureKind.TIMEOUT)).isSameAs(Socks5Reply.HOST_UNREACHABLE);
    assertThat(Socks5Replies.replyFor(FailureKind.REFUSED))
        .isSameAs(Socks5Reply.CONNECTION_REFUSED);
    assertThat(Socks5Replies.replyFor(FailureKind.NETWORK_UNREACHABLE))
        .isSameAs(Socks5Reply.NETWORK_UNREACHABLE);
    assertThat(Socks5Replies.replyFor(FailureKind.NO_EXIT)).isSameAs(Socks5Reply.FAILURE);
    for (FailureKind k : FailureKind.values()) {
      assertThat(Socks5Replies.repFor(k)).isEqualTo(Socks5Replies.replyFor(k).code());
      assertThat(Socks5Replies.replyFor(k).isSuccess()).isFalse();
    }
  }

  @Test
  void repliesCarryTheCodeOnTheWire() {
    assertThat(Socks5Replies.failure(Socks5Reply.TTL_EXPIRED))
        .containsExactly(5, 6, 0, 1, 0, 0, 0, 0, 0, 0);
    ByteBuf b =
        Socks5Replies.reply(
            UnpooledByteBufAllocator.DEFAULT,
            Socks5Reply.SUCCEEDED,
            new InetSocketAddress("127.0.0.1", 1080));
    try {
      assertThat(b.getByte(1)).isEqualTo((byte) 0);
      assertThat(b.readableBytes()).isEqualTo(10);
    } finally {
      b.release();
    }
  }
}
