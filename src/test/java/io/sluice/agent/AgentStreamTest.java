package io.sluice.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.engine.tunnel.Frame;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One {@link AgentStream} against a fake {@link AgentStream.Host} and a loopback echo target: the
 * choice between the direct mode ({@link DirectRelay}) and the frames mode ({@link FrameRelay}),
 * and how each ends. The WebSocket side is covered by {@link AgentRelayTest}.
 */
@Timeout(30)
class AgentStreamTest {

  /** Records what the stream sends; dials the data port given to it (or nothing). */
  static final class FakeHost implements AgentStream.Host {
    final LinkedBlockingQueue<Frame> sent = new LinkedBlockingQueue<>();
    final CountDownLatch removed = new CountDownLatch(1);
    final AgentLog log =
        new AgentLog(
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), true);
    final int dataPort;

    FakeHost(int dataPort) {
      this.dataPort = dataPort;
    }

    @Override
    public void send(Frame f) {
      sent.add(f);
    }

    @Override
    public void removed(AgentStream s) {
      removed.countDown();
    }

    @Override
    public AgentLog log() {
      return log;
    }

    @Override
    public Socket dialDirect(Frame.OpenDirect offer) {
      if (dataPort == 0) {
        return null;
      }
      try {
        return new Socket(InetAddress.getLoopbackAddress(), dataPort);
      } catch (IOException e) {
        return null;
      }
    }

    Frame next() throws InterruptedException {
      return sent.poll(10, TimeUnit.SECONDS);
    }
  }

  ServerSocket echo;
  ServerSocket dataPort;
  TargetConnector connector;

  @BeforeEach
  void setUp() throws IOException {
    echo = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().start(this::echoLoop);
    dataPort = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
    dataPort.setSoTimeout(10_000);
    connector =
        new TargetConnector(
            AllowList.parse(List.of("127.0.0.1:" + echo.getLocalPort())),
            host -> new InetAddress[] {InetAddress.getByName(host)},
            Duration.ofSeconds(2));
  }

  @AfterEach
  void tearDown() throws IOException {
    echo.close();
    dataPort.close();
  }

  private void echoLoop() {
    try {
      while (true) {
        Socket s = echo.accept();
        Thread.ofVirtual()
            .start(() -> {
              try (s;
                  InputStream in = s.getInputStream();
                  OutputStream out = s.getOutputStream()) {
                in.transferTo(out);
                s.shutdownOutput();
                s.getInputStream().read(); // until the agent closes
              } catch (IOException e) {
                // the stream was aborted: fine for an echo server
              }
            });
      }
    } catch (IOException e) {
      // closed by tearDown
    }
  }

  private Frame.OpenDirect offer(long id) {
    return new Frame.OpenDirect(
        id,
        "127.0.0.1",
        echo.getLocalPort(),
        dataPort.getLocalPort(),
        new byte[Frame.DIRECT_KEY_BYTES]);
  }

  @Test
  void directStreamCopiesBothWaysAndFinishesAfterBothHalfCloses() throws Exception {
    FakeHost host = new FakeHost(dataPort.getLocalPort());
    AgentStream s =
        new AgentStream(1, "127.0.0.1", echo.getLocalPort(), 1024, 1024, host, offer(1));
    s.start(connector);
    try (Socket data = dataPort.accept()) {
      data.setSoTimeout(10_000);
      byte[] hello = "direct bytes".getBytes(StandardCharsets.US_ASCII);
      data.getOutputStream().write(hello);
      data.shutdownOutput();
      assertThat(data.getInputStream().readAllBytes()).isEqualTo(hello);
    }
    assertThat(host.removed.await(10, TimeUnit.SECONDS)).as("removed").isTrue();
    assertThat(host.sent).as("no frames for a direct stream").isEmpty();
  }

  @Test
  void directStreamAbortsWhenTheDataConnectionBreaks() throws Exception {
    FakeHost host = new FakeHost(dataPort.getLocalPort());
    AgentStream s =
        new AgentStream(1, "127.0.0.1", echo.getLocalPort(), 1024, 1024, host, offer(1));
    s.start(connector);
    try (Socket data = dataPort.accept()) {
      data.setSoTimeout(10_000);
      data.getOutputStream().write(42);
      assertThat(data.getInputStream().read()).as("echoed: the stream went direct").isEqualTo(42);
      data.setSoLinger(true, 0); // close with RST: the agent's read fails
    }
    assertThat(host.removed.await(10, TimeUnit.SECONDS)).as("removed").isTrue();
    assertThat(host.sent).as("nothing sent on an aborted direct stream").isEmpty();
  }

  @Test
  void unreachableDataPortFallsBackToFrames() throws Exception {
    FakeHost host = new FakeHost(0);
    AgentStream s =
        new AgentStream(3, "127.0.0.1", echo.getLocalPort(), 1024, 1024, host, offer(3));
    s.start(connector);
    assertThat(host.next()).isEqualTo(new Frame.OpenOk(3));
    s.onData(new Frame.Data(3, "in frames".getBytes(StandardCharsets.US_ASCII)));
    s.onClose(new Frame.Close(3, Frame.Close.FIN));
    ByteArrayOutputStream back = new ByteArrayOutputStream();
    Frame f;
    while (!((f = host.next()) instanceof Frame.Close)) {
      if (f instanceof Frame.Data d) {
        back.writeBytes(d.bytes());
      }
    }
    assertThat(back.toString(StandardCharsets.US_ASCII)).isEqualTo("in frames");
    assertThat(((Frame.Close) f).reset()).isFalse();
    assertThat(host.removed.await(10, TimeUnit.SECONDS)).as("removed after FIN both ways").isTrue();
  }

  @Test
  void dataBeforeTheTargetIsConnectedResetsTheStream() throws Exception {
    FakeHost host = new FakeHost(0);
    AgentStream s = new AgentStream(5, "127.0.0.1", echo.getLocalPort(), 1024, 1024, host);
    s.onData(new Frame.Data(5, new byte[] {1}));
    assertThat(host.next()).isEqualTo(new Frame.Close(5, Frame.Close.RESET));
    assertThat(host.removed.getCount()).isZero();
  }

  @Test
  void resetByTheServerEndsAFramedStreamWithoutAnAnswer() throws Exception {
    FakeHost host = new FakeHost(0);
    AgentStream s = new AgentStream(7, "127.0.0.1", echo.getLocalPort(), 1024, 1024, host);
    s.start(connector);
    assertThat(host.next()).isEqualTo(new Frame.OpenOk(7));
    s.onClose(new Frame.Close(7, Frame.Close.RESET));
    assertThat(host.removed.await(10, TimeUnit.SECONDS)).as("removed").isTrue();
    s.onData(new Frame.Data(7, new byte[] {1})); // late frames are ignored
    assertThat(host.sent.poll(200, TimeUnit.MILLISECONDS)).isNull();
  }
}
