package io.sluice.engine.mux;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.ResourceLeakDetector;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.sluice.engine.ProxyEngine;
import io.sluice.engine.config.EngineConfig;
import io.sluice.engine.config.ListenerConfig;
import io.sluice.engine.config.ListenerKind;
import io.sluice.engine.spi.Authenticator;
import io.sluice.engine.spi.DestinationPolicy;
import io.sluice.engine.spi.EngineEvents;
import io.sluice.engine.spi.ExitSelector;
import io.sluice.engine.support.TestEngine;
import io.sluice.engine.tunnel.DecodeResult;
import io.sluice.engine.tunnel.Frame;
import io.sluice.engine.tunnel.FrameCodec;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Direct streams on the server side ({@link DirectStream}, {@link DirectPeerHandler}): a stream
 * offered with OPEN_DIRECT is carried by the agent's data connection once it presents the key, with
 * half-close both ways; a data connection for a stream that fell back to frames is closed.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DirectStreamTest {

  static {
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
  }

  private static ProxyEngine engine;
  private static int tunnelPort;
  private static int dataPort;
  private final List<Socket> sockets = new ArrayList<>();

  @BeforeAll
  static void startEngine() {
    engine =
        new ProxyEngine(
            EngineConfig.builder().ioThreads(2).preferNativeTransport(TestEngine.NATIVE).build(),
            new DefaultThreadFactory("direct-stream-test", true),
            Authenticator.allowAll(),
            DestinationPolicy.allowAll(),
            ExitSelector.direct(),
            EngineEvents.NONE);
    engine.start();
    tunnelPort =
        engine
            .addListener(ListenerConfig.of("tunnel", "127.0.0.1", 0, ListenerKind.TUNNEL, false))
            .port();
    dataPort =
        engine
            .addListener(
                ListenerConfig.of("data", "127.0.0.1", 0, ListenerKind.TUNNEL_DIRECT, false))
            .port();
    engine.directStreams().port(dataPort);
  }

  @AfterAll
  static void stopEngine() {
    engine.stop(Duration.ZERO);
  }

  @AfterEach
  void closeSockets() throws IOException {
    for (Socket s : sockets) {
      s.close();
    }
    engine.tunnelRouter(TunnelRouter.NONE);
  }

  static final class Agent implements TunnelMux.FrameSink {
    final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    final FrameCodec codec = new FrameCodec(FrameCodec.DEFAULT_MAX_PAYLOAD);
    final TunnelMux mux =
        new TunnelMux(
            1, this, 64 * 1024, FrameCodec.DEFAULT_MAX_PAYLOAD, 16, engine.directStreams());

    @Override
    public void send(ByteBuffer encodedFrame) {
      if (codec.decode(encodedFrame, true) instanceof DecodeResult.Ok ok) {
        frames.add(ok.frame());
      }
    }

    @Override
    public void close(int code, String reason) {}

    <T extends Frame> T next(Class<T> type) throws InterruptedException {
      Frame f = frames.poll(5, TimeUnit.SECONDS);
      assertThat(f).as("next frame, expected %s", type.getSimpleName()).isInstanceOf(type);
      return type.cast(f);
    }
  }

  static final class Observer implements StreamObserver {
    final List<String> ended = new CopyOnWriteArrayList<>();
    final AtomicLong in = new AtomicLong();
    final AtomicLong out = new AtomicLong();

    @Override
    public void bytes(long in, long out) {
      this.in.addAndGet(in);
      this.out.addAndGet(out);
    }

    @Override
    public void ended(String error) {
      ended.add(String.valueOf(error));
    }
  }

  private Socket connect(int port) throws IOException {
    Socket s = new Socket();
    sockets.add(s);
    s.setSoTimeout(5000);
    s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    return s;
  }

  /**
   * Opens the agent's data connection: preamble, then {@code first} (the target speaking first).
   */
  private Socket dataConnection(byte[] key, byte[] first) throws IOException {
    Socket d = connect(dataPort);
    OutputStream o = d.getOutputStream();
    o.write(DirectStreams.MAGIC);
    o.write(key);
    o.write(first);
    o.flush();
    return d;
  }

  private static String read(Socket s, int n) throws IOException {
    return new String(s.getInputStream().readNBytes(n), StandardCharsets.US_ASCII);
  }

  private static void assertEof(Socket s) throws IOException {
    try {
      assertThat(s.getInputStream().read()).isEqualTo(-1);
    } catch (SocketTimeoutException e) {
      throw new AssertionError("no EOF", e);
    } catch (IOException reset) {
      // RST: closed as well
    }
  }

  @Test
  void directStreamRelaysBothWaysWithHalfClose() throws Exception {
    Agent agent = new Agent();
    Observer obs = new Observer();
    engine.tunnelRouter(c -> new TunnelRoute.Relay(agent.mux, "target", 7, null, null, obs));
    Socket client = connect(tunnelPort);
    client.getOutputStream().write("early".getBytes(StandardCharsets.US_ASCII)); // while opening
    Frame.OpenDirect open = agent.next(Frame.OpenDirect.class);
    assertThat(open.dataPort()).isEqualTo(dataPort);
    Socket data = dataConnection(open.key(), "banner".getBytes(StandardCharsets.US_ASCII));

    assertThat(read(client, 6)).isEqualTo("banner");
    assertThat(read(data, 5)).isEqualTo("early");
    client.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
    assertThat(read(data, 4)).isEqualTo("ping");
    data.getOutputStream().write("pong".getBytes(StandardCharsets.US_ASCII));
    assertThat(read(client, 4)).isEqualTo("pong");

    client.shutdownOutput();
    assertEof(data); // half-closed: the other direction still works
    data.getOutputStream().write("last".getBytes(StandardCharsets.US_ASCII));
    assertThat(read(client, 4)).isEqualTo("last");
    data.shutdownOutput();
    assertEof(client);

    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> obs.ended.size() == 1);
    assertThat(obs.ended).containsExactly("null");
    assertThat(obs.in.get()).isEqualTo(9); // early + ping
    assertThat(obs.out.get()).isEqualTo(14); // banner + pong + last
    assertThat(agent.frames).as("no frames on a direct stream").isEmpty();
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> agent.mux.activeStreams() == 0);
  }

  @Test
  void dataConnectionAfterFallbackToFramesIsClosed() throws Exception {
    Agent agent = new Agent();
    Observer obs = new Observer();
    engine.tunnelRouter(c -> new TunnelRoute.Relay(agent.mux, "target", 7, null, null, obs));
    Socket client = connect(tunnelPort);
    Frame.OpenDirect open = agent.next(Frame.OpenDirect.class);
    agent.mux.onFrame(new Frame.OpenOk(open.streamId()));
    client.getOutputStream().write("hi".getBytes(StandardCharsets.US_ASCII));
    Frame.Data d = agent.next(Frame.Data.class);
    assertThat(new String(d.bytes(), StandardCharsets.US_ASCII)).isEqualTo("hi");

    Socket late = dataConnection(open.key(), new byte[0]);
    assertEof(late);
    assertThat(obs.ended).isEmpty(); // the stream goes on over frames
    agent.mux.onFrame(new Frame.Close(open.streamId(), Frame.Close.RESET));
    assertEof(client);
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> obs.ended.size() == 1);
    assertThat(obs.ended).containsExactly("reset_by_agent");
  }

  @Test
  void clientResetEndsTheStreamAndClosesTheDataConnection() throws Exception {
    Agent agent = new Agent();
    Observer obs = new Observer();
    engine.tunnelRouter(c -> new TunnelRoute.Relay(agent.mux, "target", 7, null, null, obs));
    Socket client = connect(tunnelPort);
    Frame.OpenDirect open = agent.next(Frame.OpenDirect.class);
    Socket data = dataConnection(open.key(), "x".getBytes(StandardCharsets.US_ASCII));
    assertThat(read(client, 1)).isEqualTo("x");
    client.setSoLinger(true, 0);
    client.close(); // RST: gone, not half-closed
    assertEof(data);
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> obs.ended.size() == 1);
    assertThat(obs.ended).containsExactly("null");
  }
}
