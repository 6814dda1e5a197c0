package io.sluice.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.sluice.engine.tunnel.DecodeResult;
import io.sluice.engine.tunnel.Frame;
import io.sluice.engine.tunnel.FrameCodec;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A minimal tunnel server for agent tests: Netty WebSocket on 127.0.0.1 (ephemeral port, path
 * {@code /tunnel}); each accepted connection is a {@link Conn} whose received frames the test reads
 * from a queue and to which the test writes frames. Speaks only what the test tells it to.
 */
final class TunnelTestServer implements AutoCloseable {

  /** The peer closed (WebSocket close frame) or the channel went inactive. */
  record Closed(int code, String reason) {}

  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final Channel server;
  final BlockingQueue<Conn> connections = new LinkedBlockingQueue<>();

  TunnelTestServer() throws InterruptedException {
    server =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    Conn conn = new Conn(ch);
                    ch.pipeline()
                        .addLast(
                            new HttpServerCodec(),
                            new HttpObjectAggregator(65536),
                            new WebSocketServerProtocolHandler(
                                WebSocketServerProtocolConfig.newBuilder()
                                    .websocketPath("/tunnel")
                                    .maxFramePayloadLength(32 * 1024 * 1024)
                                    .handleCloseFrames(false)
                                    .build()),
                            new WebSocketFrameAggregator(32 * 1024 * 1024),
                            conn);
                  }
                })
            .bind(new InetSocketAddress("127.0.0.1", 0))
            .sync()
            .channel();
  }

  int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  /** The next connection that completed the WebSocket handshake. */
  Conn accept(long timeoutMillis) throws InterruptedException {
    Conn c = connections.poll(timeoutMillis, TimeUnit.MILLISECONDS);
    if (c == null) {
      fail("no agent connection within " + timeoutMillis + " ms");
    }
    return c;
  }

  @Override
  public void close() {
    server.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** One agent connection. */
  final class Conn extends SimpleChannelInboundHandler<WebSocketFrame> {
    final Channel ch;
    final BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
    private volatile boolean authenticated;
    private volatile FrameCodec codec = new FrameCodec();

    Conn(Channel ch) {
      this.ch = ch;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
      if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
        connections.add(this);
      }
      super.userEventTriggered(ctx, evt);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
      if (frame instanceof BinaryWebSocketFrame) {
        ByteBuf content = frame.content();
        byte[] bytes = new byte[content.readableBytes()];
        content.readBytes(bytes);
        DecodeResult r = codec.decode(ByteBuffer.wrap(bytes), authenticated);
        if (r instanceof DecodeResult.Ok ok) {
          if (ok.frame() instanceof Frame.Hello) {
            authenticated = true;
          }
          inbox.add(ok.frame());
        } else {
          inbox.add(r);
        }
      } else if (frame instanceof CloseWebSocketFrame c) {
        inbox.add(new Closed(c.statusCode(), c.reasonText()));
        ctx.writeAndFlush(new CloseWebSocketFrame(1000, ""))
            .addListener(ChannelFutureListener.CLOSE);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
      inbox.add(new Closed(-1, "channel inactive"));
      super.channelInactive(ctx);
    }

    void send(Frame f) {
      ch.writeAndFlush(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(codec.encode(f))));
    }

    /** Sends HELLO_OK and switches this side's codec to the announced maximum payload. */
    void helloOk(int window, int maxPayload) {
      send(new Frame.HelloOk(window, maxPayload));
      codec = new FrameCodec(maxPayload);
    }

    /**
     * Sends GOAWAY then a close frame with {@code code}, as the server does on failed
     * authentication.
     */
    void refuse(int code, String reason) {
      // one task, one flush: with two, the agent's own close (its answer to GOAWAY) could be read
      // and echoed with 1000 between them, before this close went out
      ch.eventLoop()
          .execute(() -> {
            ch.write(
                new BinaryWebSocketFrame(
                    Unpooled.wrappedBuffer(codec.encode(new Frame.GoAway(reason)))));
            ch.writeAndFlush(new CloseWebSocketFrame(code, reason))
                .addListener(ChannelFutureListener.CLOSE);
          });
    }

    /** The next received item (frame, decode error or {@link Closed}); fails after the timeout. */
    Object nextItem(long timeoutMillis) throws InterruptedException {
      Object o = inbox.poll(timeoutMillis, TimeUnit.MILLISECONDS);
      if (o == null) {
        fail("nothing received from the agent within " + timeoutMillis + " ms");
      }
      return o;
    }

    /** The next frame, which must be of {@code type}. */
    <T extends Frame> T next(Class<T> type) throws InterruptedException {
      Object o = nextItem(5000);
      assertThat(o).isInstanceOf(type);
      return type.cast(o);
    }

    /** Receives HELLO and answers HELLO_OK. */
    Frame.Hello handshake(int window, int maxPayload) throws InterruptedException {
      Frame.Hello h = next(Frame.Hello.class);
      helloOk(window, maxPayload);
      return h;
    }
  }
}
