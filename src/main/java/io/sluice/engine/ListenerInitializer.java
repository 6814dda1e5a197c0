package io.sluice.engine;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.sluice.engine.config.ListenerConfig;
import io.sluice.engine.config.ListenerKind;
import io.sluice.engine.core.EngineContext;
import io.sluice.engine.core.HandshakeTimeout;
import io.sluice.engine.core.SessionEstablisher;
import io.sluice.engine.http.HttpProxyFrontend;
import io.sluice.engine.mux.DirectStreams;
import io.sluice.engine.mux.TunnelPorts;
import io.sluice.engine.mux.TunnelRouter;
import io.sluice.engine.net.ReadCounter;
import io.sluice.engine.socks4.Socks4Handshake;
import io.sluice.engine.socks5.Socks5GreetingDecoder;
import io.sluice.engine.socks5.Socks5Handshake;
import io.sluice.engine.spi.ConnectionInfo;
import io.sluice.engine.transparent.TransparentHandler;
import java.net.InetSocketAddress;
import java.util.function.Supplier;

/** Sets up the pipeline of an accepted connection according to its listener's kind. */
final class ListenerInitializer extends ChannelInitializer<Channel> {

  private final EngineContext engine;
  private final SessionEstablisher establisher;
  private final ListenerConfig listener;
  private final Supplier<TunnelRouter> tunnels;
  private final DirectStreams direct;

  ListenerInitializer(
      EngineContext engine,
      SessionEstablisher establisher,
      ListenerConfig listener,
      Supplier<TunnelRouter> tunnels,
      DirectStreams direct) {
    this.direct = direct;
    this.engine = engine;
    this.establisher = establisher;
    this.listener = listener;
    this.tunnels = tunnels;
  }

  @Override
  protected void initChannel(Channel ch) {
    String id = engine.nextId('c');
    ConnectionInfo info =
        new ConnectionInfo(
            id,
            (InetSocketAddress) ch.remoteAddress(),
            listener.tag(),
            (InetSocketAddress) ch.localAddress());
    engine.track(ch);
    ReadCounter.install(ch);
    if (listener.kind() == ListenerKind.TUNNEL) {
      TunnelPorts.install(
          ch,
          info,
          tunnels,
          engine.config().connectTimeout().plusSeconds(10),
          engine.config().idleTimeout());
      return;
    }
    if (listener.kind() == ListenerKind.TUNNEL_DIRECT) {
      TunnelPorts.installDirect(ch, info, direct, engine.config().handshakeTimeout());
      return;
    }
    ChannelPipeline p = ch.pipeline();
    if (listener.kind() == ListenerKind.TRANSPARENT) {
      p.addLast(
          HandshakeTimeout.NAME, new HandshakeTimeout(engine.config().handshakeTimeout(), id));
      p.addLast(TransparentHandler.NAME, new TransparentHandler(engine, establisher, info));
      return;
    }
    p.addLast(HandshakeTimeout.NAME, new HandshakeTimeout(engine.config().handshakeTimeout(), id));
    switch (listener.kind()) {
      case SOCKS -> installSocks5(p, info);
      case HTTP -> installHttp(p, info);
      case MIXED -> p.addLast(ProtocolSniffer.NAME, new ProtocolSniffer(this, info));
      case TUNNEL, TUNNEL_DIRECT, TRANSPARENT -> throw new IllegalStateException("handled above");
    }
  }

  void installSocks5(ChannelPipeline p, ConnectionInfo info) {
    p.addLast(Socks5Handshake.DECODER, new Socks5GreetingDecoder());
    p.addLast(
        Socks5Handshake.NAME,
        new Socks5Handshake(engine, establisher, info, listener.authRequired()));
  }

  void installSocks4(ChannelPipeline p, ConnectionInfo info) {
    Socks4Handshake.install(
        p, new Socks4Handshake(engine, establisher, info, listener.authRequired()));
  }

  void installHttp(ChannelPipeline p, ConnectionInfo info) {
    HttpProxyFrontend.install(
        p, engine, new HttpProxyFrontend(engine, establisher, info, listener.authRequired()));
  }
}
