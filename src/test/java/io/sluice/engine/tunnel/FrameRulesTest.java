package io.sluice.engine.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The field rules behind the {@link Frame} constructors, with their exact messages. */
class FrameRulesTest {

  private static final byte[] KEY = new byte[Frame.DIRECT_KEY_BYTES];

  @Test
  void streamIdsMustBeOddAndFitInU32() {
    assertThatThrownBy(() -> new Frame.OpenOk(2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("stream id must be odd and in [1, 2^32-1]: 2");
    assertThatThrownBy(() -> new Frame.Window(Frame.MAX_STREAM_ID + 2, 1))
        .hasMessageStartingWith("stream id must be odd");
    assertThat(new Frame.OpenOk(Frame.MAX_STREAM_ID).streamId()).isEqualTo(Frame.MAX_STREAM_ID);
  }

  @Test
  void portsAndPositiveValuesKeepTheirMessages() {
    assertThatThrownBy(() -> new Frame.Open(1, "h", 0)).hasMessage("port must be in [1, 65535]");
    assertThatThrownBy(() -> new Frame.OpenDirect(1, "h", 65536, 1, KEY))
        .hasMessage("port must be in [1, 65535]");
    assertThatThrownBy(() -> new Frame.OpenDirect(1, "h", 1, 65536, KEY))
        .hasMessage("data port must be in [1, 65535]");
    assertThatThrownBy(() -> new Frame.HelloOk(0, 1))
        .hasMessage("initial window must be in [1, 2^31-1]");
    assertThatThrownBy(() -> new Frame.HelloOk(1, 0))
        .hasMessage("max frame payload must be in [1, 2^31-1]");
    assertThatThrownBy(() -> new Frame.Window(1, 0)).hasMessage("increment must be in [1, 2^31-1]");
  }

  @Test
  void theDirectKeyIsCheckedAndCopied() {
    assertThatThrownBy(() -> new Frame.OpenDirect(1, "h", 1, 2, null))
        .hasMessage("key must be 16 bytes");
    byte[] key = KEY.clone();
    Frame.OpenDirect d = new Frame.OpenDirect(1, "h", 1, 2, key);
    key[0] = 9;
    assertThat(d.key()[0]).isZero();
  }

  @Test
  void stringsAreMeasuredInUtf8AndMustBeWellFormed() {
    assertThatThrownBy(() -> new Frame.Open(1, "", 1))
        .hasMessage("host must be 1..255 UTF-8 bytes");
    assertThatThrownBy(() -> new Frame.Open(1, "a\nb", 1))
        .hasMessage("host contains control characters");
    assertThatThrownBy(() -> new Frame.GoAway("\uD800"))
        .hasMessage("reason is not well-formed UTF-16/UTF-8");
    assertThatThrownBy(() -> new Frame.GoAway(null)).hasMessage("reason is null");
    assertThat(new Frame.GoAway("a\tb").reason()).isEqualTo("a\tb"); // reasons may hold controls
    assertThat(FrameRules.hasControl("x\u007f")).isTrue();
    assertThat(FrameRules.hasControl("é")).isFalse();
  }
}
