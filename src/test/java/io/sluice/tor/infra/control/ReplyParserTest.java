package io.sluice.tor.infra.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Replies fed line by line, including the malformed ones tor never sends. */
class ReplyParserTest {

  @Test
  void midDataAndEndLines() throws Exception {
    ReplyParser p = new ReplyParser();
    assertThat(p.feed("250-version=0.4.9.11")).isNull();
    assertThat(p.feed("250+config-text=")).isNull();
    assertThat(p.feed("SocksPort 1")).isNull();
    assertThat(p.feed("..hidden")).isNull();
    assertThat(p.feed("")).isNull();
    assertThat(p.feed(".")).isNull();
    ControlReply r = p.feed("250 OK");
    assertThat(r.status()).isEqualTo(250);
    assertThat(r.keyValues())
        .containsEntry("version", "0.4.9.11")
        .containsEntry("config-text", "SocksPort 1\n.hidden\n")
        .hasSize(2);
    assertThat(p.inReply()).isFalse();
  }

  @Test
  void eventsAreReplies() throws Exception {
    ControlReply r = new ReplyParser().feed("650 SIGNAL NEWNYM");
    assertThat(r.isEvent()).isTrue();
    assertThat(r.message()).isEqualTo("SIGNAL NEWNYM");
  }

  @Test
  void malformedLines() {
    assertThatThrownBy(() -> new ReplyParser().feed("25"))
        .isInstanceOf(ControlProtocolException.class);
    assertThatThrownBy(() -> new ReplyParser().feed("2x0 OK"))
        .isInstanceOf(ControlProtocolException.class);
    assertThatThrownBy(() -> new ReplyParser().feed("099 OK"))
        .isInstanceOf(ControlProtocolException.class);
    assertThatThrownBy(() -> new ReplyParser().feed("250*OK"))
        .isInstanceOf(ControlProtocolException.class);
    assertThatThrownBy(
            () -> {
              ReplyParser p = new ReplyParser();
              p.feed("250-a=b");
              p.feed("550 OK");
            })
        .isInstanceOf(ControlProtocolException.class)
        .hasMessageContaining("status changed");
  }

  @Test
  void endlessReplyIsBounded() {
    assertThatThrownBy(
            () -> {
              ReplyParser p = new ReplyParser();
              for (int i = 0; i <= ReplyParser.MAX_LINES; i++) {
                p.feed("250-k=v");
              }
            })
        .isInstanceOf(ControlProtocolException.class);
  }

  @Test
  void quoting() {
    assertThat(ControlArgs.quoted("a\"b\\c")).isEqualTo("\"a\\\"b\\\\c\"");
    assertThatThrownBy(() -> ControlArgs.quoted("a\nb"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ControlArgs.quoted("a\0b"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ControlArgs.keyword("a b"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(ControlArgs.keyword("ns/id/ABCDEF")).isEqualTo("ns/id/ABCDEF");
  }
}
