package io.sluice.engine.mux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ClientInputTest {

  private final ByteBufAllocator alloc = UnpooledByteBufAllocator.DEFAULT;

  private ByteBuf bytes(String s) {
    return alloc.buffer().writeBytes(s.getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void heldBytesAccumulateInOrder() {
    ClientInput in = new ClientInput();
    assertThat(in.held()).isNull();
    assertThat(in.readableBytes()).isZero();
    ByteBuf a = bytes("abc");
    ByteBuf b = bytes("de");
    ByteBuf c = bytes("f");
    in.add(alloc, a);
    assertThat(in.held()).isSameAs(a);
    in.add(alloc, b);
    in.add(alloc, c);
    assertThat(in.readableBytes()).isEqualTo(6);
    assertThat(in.held().toString(StandardCharsets.US_ASCII)).isEqualTo("abcdef");
    in.release();
    assertThat(in.held()).isNull();
    assertThat(a.refCnt()).isZero();
    assertThat(b.refCnt()).isZero();
    assertThat(c.refCnt()).isZero();
    in.release(); // idempotent
  }

  @Test
  void takeAndPutBackHandOverOwnership() {
    ClientInput in = new ClientInput();
    assertThat(in.take()).isNull();
    in.add(alloc, bytes("xyz"));
    ByteBuf taken = in.take();
    assertThat(in.held()).isNull();
    taken.skipBytes(1);
    in.putBack(taken);
    assertThat(in.readableBytes()).isEqualTo(2);
    ByteBuf other = bytes("q");
    assertThatThrownBy(() -> in.putBack(other)).isInstanceOf(IllegalStateException.class);
    other.release();
    in.release();
    assertThat(taken.refCnt()).isZero();
    in.putBack(null); // everything went
    assertThat(in.held()).isNull();
  }

  @Test
  void eofIsPassedOnExactlyOnce() {
    ClientInput in = new ClientInput();
    assertThat(in.takeEof()).isFalse();
    assertThat(in.eof()).isFalse();
    in.markEof();
    assertThat(in.eof()).isTrue();
    assertThat(in.eofSent()).isFalse();
    assertThat(in.takeEof()).isTrue();
    assertThat(in.eofSent()).isTrue();
    assertThat(in.takeEof()).isFalse();
  }
}
