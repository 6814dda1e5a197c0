package io.sluice.engine.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.ReferenceCountUtil;
import io.sluice.engine.core.Outcome;
import io.sluice.engine.relay.Relay;
import io.sluice.engine.spi.ProxyPrincipal;
import java.util.ArrayDeque;
import java.util.Locale;

/**
 * {@code CONNECT host:port} (RFC 9110 section 9.3.6): establishes the session, answers {@code 200
 * Connection established}, removes the HTTP codec and relays raw bytes. Bytes the client sent after
 * the request head (before the 200) are forwarded first.
 */
final class HttpConnectTunnel {

  private final HttpProxyFrontend fe;
  private final ProxyPrincipal principal;
  private final HttpRequest request;

  HttpConnectTunnel(HttpProxyFrontend fe, ProxyPrincipal principal, HttpRequest request) {
    this.fe = fe;
    this.principal = principal;
    this.request = request;
  }

  void run() {
    HttpTarget target = HttpTarget.authorityForm(request.uri());
    ReferenceCountUtil.release(request);
    if (target == null) {
      fe.reject(HttpResponseStatus.BAD_REQUEST, "bad-connect-target");
      return;
    }
    Channel client = fe.ctx().channel();
    fe.establisher.establish(
        client,
        fe.info,
        principal,
        "http-connect",
        target.destination(),
        true,
        outcome -> {
          if (outcome instanceof Outcome.Established ok) {
            client
                .writeAndFlush(HttpReplies.established(client.alloc()))
                .addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
            fe.state(HttpProxyFrontend.State.TUNNEL);
            ArrayDeque<Object> early = fe.takeQueue();
            client.pipeline().remove(HttpProxyFrontend.ENCODER);
            client.pipeline().remove(HttpProxyFrontend.NAME);
            Relay.start(ok.session(), client, ok.upstream(), fe.engine.config());
            for (Object m : early) {
              if (m instanceof ByteBuf buf && buf.isReadable()) {
                ok.session().addUp(buf.readableBytes());
                ok.upstream()
                    .writeAndFlush(buf)
                    .addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
              } else {
                ReferenceCountUtil.release(m);
              }
            }
          } else if (client.isActive()) {
            Outcome.Failed failed = (Outcome.Failed) outcome;
            fe.reject(
                HttpReplies.statusFor(failed.kind()),
                failed.kind().name().toLowerCase(Locale.ROOT));
          }
        });
  }
}
