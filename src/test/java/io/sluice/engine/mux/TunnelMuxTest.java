package io.sluice.engine.mux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import io.github.bucket4j.Bucket;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.sluice.engine.ProxyEngine;
import io.sluice.engine.config.EngineConfig;
import io.sluice.engine.config.ListenerConfig;
import io.sluice.engine.config.ListenerKind;
import io.sluice.engine.session.UserLimiter;
import io.sluice.engine.spi.Authenticator;
import io.sluice.engine.spi.ConnectionInfo;
import io.sluice.engine.spi.DestinationPolicy;
import io.sluice.engine.spi.EngineEvents;
import io.sluice.engine.spi.ExitSelector;
import io.sluice.engine.support.TestEngine;
import io.sluice.engine.tunnel.DecodeResult;
import io.sluice.engine.tunnel.Frame;
import io.sluice.engine.tunnel.FrameCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The server side of reverse tunnels against a real engine on loopback: the test plays the agent
 * (frames the mux sends are decoded into a queue; the test answers with {@link TunnelMux#onFrame})
 * and plain sockets play the public clients.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TunnelMuxTest {

  static {
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
  }

  private static final long WAIT_SECONDS = 5;
  private static ProxyEngine engine;
  private static int port;

  private final List<Socket> sockets = new ArrayList<>();

  @BeforeAll
  static void startEngine() {
    engine =
        new ProxyEngine(
            EngineConfig.builder().ioThreads(2).preferNativeTransport(TestEngine.NATIVE).build(),
            new DefaultThreadFactory("tunnel-mux-test", true),
            Authenticator.allowAll(),
            DestinationPolicy.allowAll(),
            ExitSelector.direct(),
            EngineEvents.NONE);
    engine.start();
    port =
        engine
            .addListener(ListenerConfig.of("tunnel", "127.0.0.1", 0, ListenerKind.TUNNEL, false))
            .port();
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

  // ------------------------------------------------------------------------------ test agent

  /**
   * The agent's end of one tunnel connection: every frame the mux sends lands in {@link #frames}.
   */
  static final class Agent implements TunnelMux.FrameSink {
    final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    final List<String> decodeErrors = new CopyOnWriteArrayList<>();
    final List<String> closes = new CopyOnWriteArrayList<>();
    final FrameCodec codec;
    final TunnelMux mux;

    Agent(int initialWindow, int maxPayload, int maxStreams) {
      codec = new FrameCodec(maxPayload);
      mux = new TunnelMux(1, this, initialWindow, maxPayload, maxStreams);
    }

    Agent() {
      this(64 * 1024, FrameCodec.DEFAULT_MAX_PAYLOAD, 16);
    }

    @Override
    public void send(ByteBuffer encodedFrame) {
      switch (codec.decode(encodedFrame, true)) {
        case DecodeResult.Ok ok -> frames.add(ok.frame());
        case DecodeResult.Error e -> decodeErrors.add(e.reason());
      }
    }

    @Override
    public void close(int code, String reason) {
      closes.add(code + " " + reason);
    }

    <T extends Frame> T next(Class<T> type) throws InterruptedException {
      Frame f = frames.poll(WAIT_SECONDS, TimeUnit.SECONDS);
      assertThat(f).as("next frame, expected %s", type.getSimpleName()).isInstanceOf(type);
      return type.cast(f);
    }

    void assertNoFrame(long millis) throws InterruptedException {
      assertThat(frames.poll(millis, TimeUnit.MILLISECONDS)).as("no frame expected").isNull();
    }

    /** Collects DATA of one stream until {@code n} bytes arrived; any other frame fails. */
    byte[] data(long stream, int n, int maxFrame) throws InterruptedException {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      while (out.size() < n) {
        Frame.Data d = next(Frame.Data.class);
        assertThat(d.streamId()).isEqualTo(stream);
        assertThat(d.length()).isLessThanOrEqualTo(maxFrame);
        out.writeBytes(d.bytes());
      }
      assertThat(out.size()).as("no more than asked for").isEqualTo(n);
      return out.toByteArray();
    }

    void deliver(Frame f) {
      assertThat(mux.onFrame(f)).isTrue();
    }
  }

  /** Records a stream's life; one per test (shared by all streams of the test). */
  static final class Observer implements StreamObserver {
    final List<String> openFailed = new CopyOnWriteArrayList<>();
    final List<String> ended = new CopyOnWriteArrayList<>();
    final AtomicLong in = new AtomicLong();
    final AtomicLong out = new AtomicLong();

    @Override
    public void openFailed(String reason) {
      openFailed.add(reason);
    }

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

  private void relay(Agent agent, Observer obs, Bucket up, Bucket down) {
    engine.tunnelRouter(c -> new TunnelRoute.Relay(agent.mux, "target", 1, up, down, obs));
  }

  private void relay(Agent agent, Observer obs) {
    relay(agent, obs, null, null);
  }

  private Socket connect() throws IOException {
    return connect(-1);
  }

  private Socket connect(int receiveBuffer) throws IOException {
    Socket s = new Socket();
    synchronized (sockets) {
      sockets.add(s);
    }
    if (receiveBuffer > 0) {
      s.setReceiveBufferSize(receiveBuffer);
    }
    s.setSoTimeout((int) TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
    s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    return s;
  }

  /** Connects and waits for the stream's OPEN; returns its id. */
  private long open(Agent agent, Socket[] holder) throws Exception {
    holder[0] = connect();
    Frame.Open open = agent.next(Frame.Open.class);
    assertThat(open.host()).isEqualTo("target");
    assertThat(open.port()).isEqualTo(1);
    return open.streamId();
  }

  /** The server closed (FIN or RST) the connection without sending anything. */
  private static void assertClosedWithNothing(Socket s) throws IOException {
    try {
      int b = s.getInputStream().read();
      assertThat(b).as("nothing written, then EOF").isEqualTo(-1);
    } catch (SocketTimeoutException e) {
      fail("connection still open");
    } catch (IOException reset) {
      // RST: closed
    }
  }

  /** Reads until EOF or RST (bounded by the socket timeout); returns what was read before. */
  private static byte[] readToClose(Socket s) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    InputStream in = s.getInputStream();
    try {
      for (int n; (n = in.read(buf)) >= 0; ) {
        out.write(buf, 0, n);
      }
    } catch (SocketTimeoutException e) {
      fail("connection still open after " + out.size() + " bytes");
    } catch (IOException reset) {
      // RST
    }
    return out.toByteArray();
  }

  private static byte[] readExactly(Socket s, int n) throws IOException {
    return s.getInputStream().readNBytes(n);
  }

  private static byte[] pattern(int n, int seed) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) ((i * 31 + seed) % 251);
    }
    return b;
  }

  // ------------------------------------------------------------------------------ tests

  @Test
  void opensHaveOddStrictlyIncreasingIdsUnderConcurrentConnects() throws Exception {
    Agent agent = new Agent(64 * 1024, FrameCodec.DEFAULT_MAX_PAYLOAD, 100);
    Observer obs = new Observer();
    relay(agent, obs);
    int n = 50;
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      List<Future<Socket>> connects = new ArrayList<>();
      CompletableFuture<Void> go = new CompletableFuture<>();
      for (int i = 0; i < n; i++) {
        connects.add(
            pool.submit(() -> {
              go.get(WAIT_SECONDS, TimeUnit.SECONDS);
              return connect();
            }));
      }
      go.complete(null);
      for (Future<Socket> f : connects) {
        f.get(WAIT_SECONDS * 2, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add(agent.next(Frame.Open.class).streamId());
    }
    assertThat(ids).allMatch(id -> id % 2 == 1).isSorted().doesNotHaveDuplicates();
    assertThat(ids).first().isEqualTo(1L);
    assertThat(ids).last().isEqualTo(2L * n - 1);
    assertThat(agent.mux.activeStreams()).isEqualTo(n);
    agent.assertNoFrame(100);
    assertThat(agent.decodeErrors).isEmpty();
  }

  @Test
  void clientBytesFlowAsDataWithinCreditOnly() throws Exception {
    Agent agent = new Agent(8192, 1024, 16);
    Observer obs = new Observer();
    relay(agent, obs);
    Socket[] c = new Socket[1];
    long id = open(agent, c);
    byte[] sent = pattern(20_000, 1);
    c[0].getOutputStream().write(sent);
    agent.assertNoFrame(200); // nothing before OPEN_OK
    agent.deliver(new Frame.OpenOk(id));
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    got.writeBytes(agent.data(id, 8192, 1024));
    agent.assertNoFrame(300); // credit exhausted: nothing until a WINDOW
    agent.deliver(new Frame.Window(id, 8192));
    got.writeBytes(agent.data(id, 8192, 1024));
    agent.assertNoFrame(300);
    agent.deliver(new Frame.Window(id, 100_000));
    got.writeBytes(agent.data(id, sent.length - 16384, 1024));
    assertThat(got.toByteArray()).isEqualTo(sent);
    await().atMost(Duration.ofSeconds(WAIT_SECONDS)).until(() -> obs.in.get() == sent.length);
    agent.assertNoFrame(100);
  }

  @Test
  void agentDataReachesTheClientAndCreditReturnsOnceDrained() throws Exception {
    Agent agent = new Agent(8192, 1024, 16);
    Observer obs = new Observer();
    relay(agent, obs);
    Socket[] c = new Socket[1];
    long id = open(agent, c);
    agent.deliver(new Frame.OpenOk(id));
    byte[] down = pattern(8192, 2);
    for (int off = 0; off < down.length; off += 1024) {
      agent.deliver(new Frame.Data(id, Arrays.copyOfRange(down, off, off + 1024)));
    }
    assertThat(readExactly(c[0], down.length)).isEqualTo(down);
    int granted = 0;
    while (granted < down.length) {
      Frame.Window w = agent.next(Frame.Window.class);
      assertThat(w.streamId()).isEqualTo(id);
      granted += w.increment();
    }
    assertThat(granted).isEqualTo(down.length);
    assertThat(obs.out.get()).isEqualTo(down.length);
  }

  @Test
  void aClientThatDoesNotReadGetsNoCreditBeyondTheSocketBuffers() throws Exception {
    int window = 64 * 1024;
    int payload = 16 * 1024;
    Agent agent = new Agent(window, payload, 16);
    Observer obs = new Observer();
    relay(agent, obs);
    Socket client = connect(4096);
    long id = agent.next(Frame.Open.class).streamId();
    agent.deliver(new Frame.OpenOk(id));
    ByteArrayOutputStream sent = new ByteArrayOutputStream();
    long credit = window;
    long granted = 0;
    int seed = 0;
    while (true) {
      while (credit > 0) {
        byte[] chunk = pattern((int) Math.min(payload, credit), seed++);
        agent.deliver(new Frame.Data(id, chunk));
        sent.writeBytes(chunk);
        credit -= chunk.length;
      }
      Frame f = agent.frames.poll(1, TimeUnit.SECONDS);
      if (f == null) {
        break; // stalled: the client reads nothing, so nothing more is granted
      }
      assertThat(f).isInstanceOf(Frame.Window.class);
      credit += ((Frame.Window) f).increment();
      granted += ((Frame.Window) f).increment();
      assertThat(sent.size())
          .as("credit keeps coming for a client that reads nothing")
          .isLessThan(32 << 20);
    }
    // Kernel buffers (a few MiB at most on loopback) plus at most one window held by the engine.
    assertThat(sent.size()).isLessThan(16 << 20);
    assertThat(sent.size() - granted).isGreaterThanOrEqualTo(window);
    // Now the client reads everything: credit comes back.
    byte[] expected = sent.toByteArray();
    CompletableFuture<byte[]> read =
        CompletableFuture.supplyAsync(() -> {
          try {
            return readExactly(client, expected.length);
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
    while (granted < expected.length - window / 2) {
      Frame.Window w = agent.next(Frame.Window.class);
      granted += w.increment();
    }
    assertThat(read.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(expected);
    assertThat(granted).isLessThanOrEqualTo(expected.length);
  }

  @Test
  void overrunResetsOnlyThatStream() throws Exception {
    Agent agent = new Agent(512, 1024, 16);
    Observer obs = new Observer();
    relay(agent, obs);
    Socket[] a = new Socket[1];
    Socket[] b = new Socket[1];
    long ida = open(agent, a);
    long idb = open(agent, b);
    agent.deliver(new Frame.OpenOk(ida));
    agent.deliver(new Frame.OpenOk(idb));
    agent.deliver(new Frame.Data(ida, pattern(513, 3))); // one byte beyond the advertised 512
    Frame.Close reset = agent.next(Frame.Close.class);
    assertThat(reset.streamId()).isEqualTo(ida);
    assertThat(reset.reset()).isTrue();
    assertThat(readToClose(a[0])).isEmpty();
    await().atMost(Duration.ofSeconds(WAIT_SECONDS)).until(() -> obs.ended.contains("overrun"));
    // Stream b is unaffected, both ways.
    byte[] down = pattern(512, 4);
    agent.deliver(new Frame.Data(idb, down));
    assertThat(readExactly(b[0], 512)).isEqualTo(down);
    Frame.Window w = agent.next(Frame.Window.class);
    assertThat(w.streamId()).isEqualTo(idb);
    b[0].getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
    assertThat(new String(agent.data(idb, 4, 512), StandardCharsets.US_ASCII)).isEqualTo("ping");
    assertThat(agent.mux.activeStreams()).isEqualTo(1);
    assertThat(obs.ended).containsExactly("overrun");
  }

  @Test
  void clientHalfCloseThenAgentFin() throws Exception {
    Agent agent = new Agent();
    Observer obs = new Observer();
    relay(agent, obs);
    Socket[] c = new Socket[1];
    long id = open(agent, c);
    agent.deliver(new Frame.OpenOk(id));
    c[0].getOutputStream().write("request".getBytes(StandardCharsets.US_ASCII));
    c[0].shutdownOutput();
    assertThat(new String(agent.data(id, 7, 65536), StandardCharsets.US_ASCII))
        .isEqualTo("request");
    Frame.Close fin = agent.next(Frame.Close.class);
    assertThat(fin.fin()).isTrue();
    assertThat(fin.reset()).isFalse();
    // The other direction still works after the client's FIN.
    agent.deliver(new Frame.Data(id, "response".getBytes(StandardCharsets.US_ASCII)));
    agent.deliver(new Frame.Close(id, Frame.Close.FIN));
    assertThat(new String(readToClose(c[0]), StandardCharsets.US_ASCII)).isEqualTo("response");
    await().atMost(Duration.ofSeconds(WAIT_SECONDS)).until(() -> !obs.ended.isEmpty());
    assertThat(agent.mux.activeStreams()).isZero();
    agent.assertNoFrame(200); // no RESET after a clean close
    assertThat(obs.ended).containsExactly("null");
    assertThat(obs.openFailed).isEmpty();
  }

  @Test
  void agentFinThenClientKeepsWritingThenHalfCloses() throws Exception {
    Agent agent = new Agent();
    Observer obs = new Observer();
    relay(agent, obs);
    Socket[] c = new Socket[1];
    long id = open(agent, c);
    agent.deliver(new Frame.OpenOk(id));
    agent.deliver(new Frame.Data(id, "banner".getBytes(StandardCharsets.US_ASCII)));
    agent.deliver(new Frame.Close(id, Frame.Close.FIN));
    InputStream in = c[0].getInputStream();
    assertThat(new String(in.readNBytes(6), StandardCharsets.US_ASCII)).isEqualTo("banner");
    assertThat(in.read()).as("EOF after the agent's FIN").isEqualTo(-1);
    agent.assertNoFrame(200); // 6 bytes drained: below the WINDOW threshold
    c[0].getOutputStream().write("still here".getBytes(StandardCharsets.US_ASCII));
    assertThat(new String(agent.data(id, 10, 65536), StandardCharsets.US_ASCII))
        .isEqualTo("still here");
    assertThat(obs.ended).isEmpty();
    c[0].shutdownOutput();
    Frame.Close fin = agent.next(Frame.Close.class);
    assertThat(fin.fin()).isTrue();
    await().atMost(Duration.ofSeconds(WAIT_SECONDS)).until(() -> !obs.ended.isEmpty());
    assertThat(agent.mux.activeStreams()).isZero();
    agent.assertNoFrame(200);
    assertThat(obs.ended).containsExactly("null");
  }

  /**
   * The agent's response and FIN are still queued towards a slow client when the client
   * half-closes: the response must still arrive in full before the connection closes.
   */
  @Test
  void finBothWaysDoesNotDropDataStillQueuedForTheClient() throws Exception {
    int total = 8 << 20; // well beyond loopback socket buffers (4 MiB send buffer at most)
    int payload = 64 * 1024;
    Agent agent = new Agent(16 << 20, payload, 16);
    Observer obs = new Observer();
    relay(agent, obs);
    Socket client = connect(4096);
    long id = agent.next(Frame.Open.class).streamId();
    agent.deliver(new Frame.OpenOk(id));
    byte[] down = pattern(total, 5);
    for (int off = 0; off < total; off += payload) {
      agent.deliver(new Frame.Data(id, Arrays.copyOfRange(down, off, off + payload)));
    }
    agent.deliver(new Frame.Close(id, Frame.Close.FIN));
    Thread.sleep(300); // let the event loop take it all (setup, not an assertion)
    client.shutdownOutput();
    Frame.Close fin = agent.next(Frame.Close.class);
    assertThat(fin.fin()).isTrue();
    byte[] got = readToClose(client);
    assertThat(got.length).isEqualTo(total);
    assertThat(got).isEqualTo(down);
    await().atMost(Duration.ofSeconds(WAIT_SECONDS)).until(() -> !obs.ended.isEmpty());
    assertThat(obs.ended).containsExactly("null");
  }

  @Test
  void openFailClosesTheClient() throws Exception {
    Agent agent = new Agent();
    Observer obs = new Observer();
    relay(agent, obs);
    Socket[] c = new Socket[1];
    long id = open(agent, c);
    agent.deliver(new Frame.OpenFail(id, Frame.OpenFail.REFUSED, "connection refused"));
    assertClosedWithNothing(c[0]);
    await().atMost(Duration.ofSeconds(WAIT_SECONDS)).until(() -> !obs.ended.isEmpty());
    assertThat(obs.openFailed).containsExactly("refused");
    assertThat(obs.ended).containsExactly("refused");
    assertThat(agent.mux.activeStreams()).isZero();
    agent.assertNoFrame(200); // the stream is finished: no RESET follows an OPEN_FAIL
    // A late frame for the finished stream is ignored.
    agent.deliver(new Frame.OpenOk(id));
    agent.assertNoFrame(100);
    assertThat(obs.ended).hasSize(1);
  }

  /** A bare Netty server whose connections are tunnel streams with the given timeouts. */
  private static Channel bareTunnelPort(
      EventLoopGroup group, TunnelRouter router, Duration openTimeout, Duration idle)
      throws InterruptedException {
    return new ServerBootstrap()
        .group(group)
        .channel(NioServerSocketChannel.class)
        .childHandler(
            new ChannelInitializer<Channel>() {
              @Override
              protected void initChannel(Channel ch) {
                ConnectionInfo info =
                    new ConnectionInfo(
                        "c1",
                        (InetSocketAddress) ch.remoteAddress(),
                        "t",
                        (InetSocketAddress) ch.localAddress());
                TunnelPorts.install(ch, info, () -> router, openTimeout, idle);
              }
            })
        .bind("127.0.0.1", 0)
        .sync()
        .channel();
  }

  /**
   * The open timeout is engine connectTimeout + 10 s: tested here on a bare Netty server with 300
   * ms.
   */
  @Test
  void noAnswerWithinTheOpenTimeoutResets() throws Exception {
    Agent agent = new Agent();
    Observer obs = new Observer();
    TunnelRouter router = conn -> new TunnelRoute.Relay(agent.mux, "target", 1, null, null, obs);
    EventLoopGroup group =
        new NioEventLoopGroup(1, new DefaultThreadFactory("open-timeout-test", true));
    try {
      Channel server = bareTunnelPort(group, router, Duration.ofMillis(300), Duration.ofMinutes(1));
      try (Socket s = new Socket()) {
        s.setSoTimeout(5000);
        s.connect(server.localAddress(), 5000);
        long id = agent.next(Frame.Open.class).streamId();
        long start = System.nanoTime();
        Frame.Close reset = agent.next(Frame.Close.class);
        assertThat(System.nanoTime() - start).isGreaterThan(TimeUnit.MILLISECONDS.toNanos(200));
        assertThat(reset.streamId()).isEqualTo(id);
        assertThat(reset.reset()).isTrue();
        assertClosedWithNothing(s);
        await().atMost(Duration.ofSeconds(WAIT_SECONDS)).until(() -> !obs.ended.isEmpty());
        assertThat(obs.openFailed).containsExactly("timeout");
        assertThat(obs.ended).containsExactly("open_timeout");
        // A late OPEN_OK is ignored.
        agent.deliver(new Frame.OpenOk(id));
        agent.assertNoFrame(100);
      }
      server.close().sync();
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }

  @Test
  void idleStreamIsReset() throws Exception {
    Agent agent = new Agent();
    Observer obs = new Observer();
    TunnelRouter router = conn -> new TunnelRoute.Relay(agent.mux, "target", 1, null, null, obs);
    EventLoopGroup group = new NioEventLoopGroup(1, new DefaultThreadFactory("idle-test", true));
    try {
      Channel server =
          bareTunnelPort(group, router, Duration.ofSeconds(30), Duration.ofMillis(400));
      try (Socket s = new Socket()) {
        s.setSoTimeout(5000);
        s.connect(server.localAddress(), 5000);
        long id = agent.next(Frame.Open.class).streamId();
        agent.deliver(new Frame.OpenOk(id));
        agent.deliver(new Frame.Data(id, "hi".getBytes(StandardCharsets.US_ASCII)));
        assertThat(s.getInputStream().readNBytes(2))
            .isEqualTo("hi".getBytes(StandardCharsets.US_ASCII));
        Frame.Close reset = agent.next(Frame.Close.class);
        assertThat(reset.streamId()).isEqualTo(id);
        assertThat(reset.reset()).isTrue();
        assertThat(readToClose(s)).isEmpty();
        await().atMost(Duration.ofSeconds(WAIT_SECONDS)).until(() -> !obs.ended.isEmpty());
        assertThat(obs.ended).containsExactly("idle");
      }
      server.close().sync();
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }

  @Test
  void clientAbortResetsTheAgentSide() throws Exception {
    Agent agent = new Agent();
    Observer obs = new Observer();
    relay(agent, obs);
    Socket[] c = new Socket[1];
    long id = open(agent, c);
    agent.deliver(new Frame.OpenOk(id));
    c[0].setSoLinger(true, 0);
    c[0].close(); // RST
    Frame.Close reset = agent.next(Frame.Close.class);
    assertThat(reset.streamId()).isEqualTo(id);
    assertThat(reset.reset()).isTrue();
    await().atMost(Duration.ofSeconds(WAIT_SECONDS)).until(() -> !obs.ended.isEmpty());
    assertThat(obs.ended).containsExactly("null");
    assertThat(agent.mux.activeStreams()).isZero();
    // Late frames for the finished stream are ignored.
    agent.deliver(new Frame.Data(id, "late".getBytes(StandardCharsets.US_ASCII)));
    agent.deliver(new Frame.Window(id, 1000));
    agent.assertNoFrame(200);
    assertThat(obs.ended).hasSize(1);
  }

  @Test
  void connectionClosedAbortsEveryStreamAndRefusesNewOnes() throws Exception {
    Agent agent = new Agent();
    Observer obs = new Observer();
    relay(agent, obs);
    Socket[] a = new Socket[1];
    Socket[] b = new Socket[1];
    Socket[] opening = new Socket[1];
    long ida = open(agent, a);
    long idb = open(agent, b);
    open(agent, opening);
    agent.deliver(new Frame.OpenOk(ida));
    agent.deliver(new Frame.OpenOk(idb));
    agent.deliver(new Frame.Data(ida, "x".getBytes(StandardCharsets.US_ASCII)));
    assertThat(a[0].getInputStream().read()).isEqualTo('x');
    agent.mux.connectionClosed();
    assertThat(agent.mux.isClosed()).isTrue();
    assertThat(readToClose(a[0])).isEmpty();
    assertThat(readToClose(b[0])).isEmpty();
    assertClosedWithNothing(opening[0]);
    await().atMost(Duration.ofSeconds(WAIT_SECONDS)).until(() -> obs.ended.size() == 3);
    assertThat(obs.ended).containsOnly("agent_disconnected");
    assertThat(obs.openFailed).containsExactly("agent_offline");
    assertThat(agent.mux.activeStreams()).isZero();
    // A new connection while the agent is gone.
    assertRefused(false);
    await().atMost(Duration.ofSeconds(WAIT_SECONDS)).until(() -> obs.ended.size() == 4);
    assertThat(obs.openFailed).containsExactly("agent_offline", "agent_offline");
    assertThat(obs.ended).last().isEqualTo("agent_offline");
    agent.assertNoFrame(200); // nothing is sent on a closed connection
  }

  @Test
  void maxStreamsReachedRefusesTheNextConnection() throws Exception {
    Agent agent = new Agent(64 * 1024, FrameCodec.DEFAULT_MAX_PAYLOAD, 2);
    Observer obs = new Observer();
    relay(agent, obs);
    Socket[] a = new Socket[1];
    Socket[] b = new Socket[1];
    long ida = open(agent, a);
    open(agent, b);
    assertRefused(false);
    await().atMost(Duration.ofSeconds(WAIT_SECONDS)).until(() -> obs.ended.size() == 1);
    assertThat(obs.openFailed).containsExactly("agent_busy");
    assertThat(obs.ended).containsExactly("agent_busy");
    agent.assertNoFrame(200);
    // Once a stream ends (here: reset by the agent while opening), there is room again.
    agent.deliver(new Frame.Close(ida, Frame.Close.RESET));
    assertClosedWithNothing(a[0]);
    await()
        .atMost(Duration.ofSeconds(WAIT_SECONDS))
        .until(() -> obs.ended.contains("reset_by_agent"));
    agent.assertNoFrame(100); // a RESET is not answered
    await().atMost(Duration.ofSeconds(WAIT_SECONDS)).until(() -> agent.mux.activeStreams() == 1);
    connect();
    assertThat(agent.next(Frame.Open.class).streamId()).isEqualTo(5);
  }

  @Test
  void refusedConnectionIsClosedAtOnce() throws Exception {
    Agent agent = new Agent();
    engine.tunnelRouter(conn -> new TunnelRoute.Refuse("no_mapping"));
    assertRefused(true);
    agent.assertNoFrame(100);
    engine.tunnelRouter(conn -> {
      throw new IllegalStateException("router bug");
    });
    assertRefused(false);
  }

  /** Connects (the RST may already hit the connect or the write) and expects an immediate close. */
  private void assertRefused(boolean write) throws IOException {
    Socket s;
    try {
      s = connect();
      if (write) {
        s.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
      }
    } catch (java.net.SocketException reset) {
      return;
    }
    assertClosedWithNothing(s);
  }

  @Test
  void bytesAndEofBeforeOpenOkAreAllDelivered() throws Exception {
    Agent agent = new Agent();
    Observer obs = new Observer();
    relay(agent, obs);
    Socket[] c = new Socket[1];
    c[0] = connect();
    byte[] early = pattern(5000, 6);
    c[0].getOutputStream().write(early);
    c[0].shutdownOutput();
    long id = agent.next(Frame.Open.class).streamId();
    Thread.sleep(200); // let the engine see the bytes and the EOF while the stream is opening
    agent.assertNoFrame(0);
    agent.deliver(new Frame.OpenOk(id));
    assertThat(agent.data(id, early.length, 65536)).isEqualTo(early);
    Frame.Close fin = agent.next(Frame.Close.class);
    assertThat(fin.fin()).isTrue();
    assertThat(fin.reset()).isFalse();
    agent.deliver(new Frame.Data(id, "ok".getBytes(StandardCharsets.US_ASCII)));
    agent.deliver(new Frame.Close(id, Frame.Close.FIN));
    assertThat(new String(readToClose(c[0]), StandardCharsets.US_ASCII)).isEqualTo("ok");
    await().atMost(Duration.ofSeconds(WAIT_SECONDS)).until(() -> !obs.ended.isEmpty());
    assertThat(obs.ended).containsExactly("null");
  }

  @Test
  void upBucketShapesClientBytes() throws Exception {
    Agent agent = new Agent(1 << 20, FrameCodec.DEFAULT_MAX_PAYLOAD, 16);
    Observer obs = new Observer();
    relay(agent, obs, UserLimiter.bandwidth(100_000), null);
    Socket[] c = new Socket[1];
    long id = open(agent, c);
    agent.deliver(new Frame.OpenOk(id));
    byte[] up = pattern(300_000, 7);
    long start = System.nanoTime();
    c[0].getOutputStream().write(up);
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    while (got.size() < up.length) {
      Frame.Data d = agent.next(Frame.Data.class);
      got.writeBytes(d.bytes());
    }
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertThat(got.toByteArray()).isEqualTo(up);
    // 10 KB burst, then 100 KB/s: about 2.9 s.
    assertThat(millis).isBetween(1500L, 10_000L);
  }

  /** A bucket smaller than the shaper's 4 KiB wait estimate must still let bytes through. */
  @Test
  void smallBucketsDoNotStallTheStream() throws Exception {
    Agent agent =
        new Agent(32 * 1024, FrameCodec.DEFAULT_MAX_PAYLOAD, 16); // WINDOW after 16 KiB drained
    Observer obs = new Observer();
    Bucket up =
        Bucket.builder()
            .addLimit(l -> l.capacity(1000).refillGreedy(100_000, Duration.ofSeconds(1)))
            .build();
    Bucket down =
        Bucket.builder()
            .addLimit(l -> l.capacity(1000).refillGreedy(100_000, Duration.ofSeconds(1)))
            .build();
    relay(agent, obs, up, down);
    Socket[] c = new Socket[1];
    long id = open(agent, c);
    agent.deliver(new Frame.OpenOk(id));
    byte[] bytes = pattern(20_000, 8);
    c[0].getOutputStream().write(bytes);
    assertThat(agent.data(id, bytes.length, 65536)).isEqualTo(bytes);
    agent.deliver(new Frame.Data(id, bytes));
    assertThat(readExactly(c[0], bytes.length)).isEqualTo(bytes);
    Frame.Window w = agent.next(Frame.Window.class);
    assertThat(w.increment()).isBetween(16 * 1024, bytes.length);
  }

  @Test
  void downBucketShapesCreditReturned() throws Exception {
    int window = 64 * 1024;
    Agent agent = new Agent(window, 16 * 1024, 16);
    Observer obs = new Observer();
    relay(agent, obs, null, UserLimiter.bandwidth(100_000));
    Socket[] c = new Socket[1];
    long id = open(agent, c);
    agent.deliver(new Frame.OpenOk(id));
    int total = 300_000;
    CompletableFuture<byte[]> read =
        CompletableFuture.supplyAsync(() -> {
          try {
            return readExactly(c[0], total);
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
    long start = System.nanoTime();
    long credit = window;
    int sent = 0;
    while (sent < total) {
      while (credit > 0 && sent < total) {
        int n = (int) Math.min(Math.min(16 * 1024, credit), total - sent);
        agent.deliver(new Frame.Data(id, pattern(n, sent)));
        credit -= n;
        sent += n;
      }
      if (sent < total) {
        credit += agent.next(Frame.Window.class).increment();
      }
    }
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertThat(read.get(WAIT_SECONDS, TimeUnit.SECONDS)).hasSize(total);
    // The first window is free; the rest (~236 KB) is granted at 100 KB/s after a 10 KB burst.
    assertThat(millis).isBetween(1500L, 10_000L);
  }
}
