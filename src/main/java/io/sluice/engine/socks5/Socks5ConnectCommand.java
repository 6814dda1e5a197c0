package io.sluice.engine.socks5;

import io.sluice.engine.core.Outcome;
import io.sluice.engine.relay.Relay;
import io.sluice.engine.wire.Socks5Reply;
import java.net.InetSocketAddress;

/**
 * CMD X'01' CONNECT, RFC 1928 section 4: connect to DST.ADDR:DST.PORT (after limits and the
 * destination policy), reply with BND.ADDR/BND.PORT = the upstream socket's local address, then
 * relay. Failures reply with the REP of {@link Socks5Replies#replyFor}.
 */
final class Socks5ConnectCommand {

  private final Socks5CommandContext cc;

  Socks5ConnectCommand(Socks5CommandContext cc) {
    this.cc = cc;
  }

  void run() {
    cc.establisher()
        .establish(
            cc.client(),
            cc.info(),
            cc.principal(),
            "socks5-connect",
            cc.destination(),
            true,
            outcome -> {
              if (outcome instanceof Outcome.Established ok) {
                cc.succeed(
                    Socks5Replies.reply(
                        cc.client().alloc(),
                        Socks5Reply.SUCCEEDED,
                        (InetSocketAddress) ok.upstream().localAddress()));
                Relay.start(ok.session(), cc.client(), ok.upstream(), cc.engine().config());
                cc.removeDecoder();
              } else if (cc.client().isActive()) {
                Outcome.Failed failed = (Outcome.Failed) outcome;
                cc.fail(
                    Socks5Replies.replyFor(failed.kind()),
                    failed.kind().name().toLowerCase(java.util.Locale.ROOT));
              }
            });
  }
}
