package io.sluice.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.sluice.engine.tunnel.Frame;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The real agent, in-process, against {@link TunnelTestServer} (Netty WebSocket on loopback) and
 * loopback TCP targets: handshake, echo through a stream with flow control, refusals, stream
 * errors, and reconnection. Everything stays on 127.0.0.1 and every wait has a timeout.
 */
@Timeout(60)
class AgentRelayTest {

  static final String SECRET = "s3cr3t-Never-Logged";
  static final String TOKEN = "sat_12_" + SECRET;

  TunnelTestServer server;
  ServerSocket echo;
  ServerSocket sink;
  int closedPort;
  int disallowedPort;
  final List<Socket> sinkSockets = new ArrayList<>();
  final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
  Agent agent;
  Thread agentThread;

  @BeforeEach
  void setUp() throws Exception {
    server = new TunnelTestServer();
    echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().start(this::echoLoop);
    sink = new ServerSocket();
    sink.setReceiveBufferSize(4096);
    sink.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    Thread.ofVirtual().start(this::sinkLoop);
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      disallowedPort =
          s.getLocalPort(); // listening while the test runs would not matter: never allowed
    }
    AgentOptions options =
        AgentOptions.parse(
            List.of(
                "--server",
                "ws://127.0.0.1:" + server.port() + "/tunnel",
                "--token",
                TOKEN,
                "--allow",
                "127.0.0.1:" + echo.getLocalPort() + ",127.0.0.1:" + closedPort,
                "--allow",
                "127.0.0.0/8:" + sink.getLocalPort(),
                "--reconnect-min",
                "100ms",
                "--reconnect-max",
                "500ms",
                "--connect-timeout",
                "2s",
                "--ping-interval",
                "1s",
                "--verbose"),
            Map.of(),
            p -> null);
    agent =
        new Agent(
            options,
            new AgentLog(new PrintStream(logBytes, true, StandardCharsets.UTF_8), true),
            "sluice-agent/test");
    agentThread =
        Thread.ofVirtual()
            .name("agent-under-test")
            .start(() -> {
              try {
                agent.run();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
  }

  @AfterEach
  void tearDown() throws Exception {
    agent.stop();
    agentThread.join(5000);
    assertThat(agentThread.isAlive()).as("agent stopped").isFalse();
    server.close();
    echo.close();
    sink.close();
    for (Socket s : sinkSockets) {
      s.close();
    }
    assertThat(log()).doesNotContain(SECRET);
  }

  String log() {
    return logBytes.toString(StandardCharsets.UTF_8);
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
                s.getInputStream().read(); // wait for the agent to close
              } catch (IOException e) {
                // the agent reset the stream: fine for an echo server
              }
            });
      }
    } catch (IOException e) {
      // closed by tearDown
    }
  }

  /** Accepts and never reads: a target that stalls its stream. */
  private void sinkLoop() {
    try {
      while (true) {
        Socket s = sink.accept();
        synchronized (sinkSockets) {
          sinkSockets.add(s);
        }
      }
    } catch (IOException e) {
      // closed by tearDown
    }
  }

  @Test
  void helloThenEchoesTwoMebibytesWithCreditsAndFinBothWays() throws Exception {
    TunnelTestServer.Conn conn = server.accept(5000);
    Frame.Hello hello = conn.next(Frame.Hello.class);
    assertThat(hello.version()).isEqualTo(1);
    assertThat(hello.agentId()).isEqualTo("12");
    assertThat(hello.token()).isEqualTo(TOKEN);
    assertThat(hello.softwareVersion()).isEqualTo("sluice-agent/test");
    int window = 64 * 1024;
    int maxPayload = 16 * 1024;
    conn.helloOk(window, maxPayload);

    conn.send(new Frame.Ping(0x0102030405060708L));
    assertThat(conn.next(Frame.Pong.class).opaque()).isEqualTo(0x0102030405060708L);

    conn.send(new Frame.Open(1, "127.0.0.1", echo.getLocalPort()));
    assertThat(conn.next(Frame.OpenOk.class).streamId()).isEqualTo(1);

    int total = 2 * 1024 * 1024;
    byte[] payload = new byte[total];
    new Random(42).nextBytes(payload);
    CRC32 sentCrc = new CRC32();
    sentCrc.update(payload);
    CRC32 receivedCrc = new CRC32();
    long sendCredit = window;
    long recvCredit = window;
    int sent = 0;
    int received = 0;
    int pendingGrant = 0;
    long granted = 0;
    int windows = 0;
    boolean finSent = false;
    boolean agentFin = false;
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!agentFin) {
      assertThat(System.nanoTime()).as("transfer finished in time").isLessThan(deadline);
      while (sent < total && sendCredit > 0) {
        int n = (int) Math.min(Math.min(maxPayload, sendCredit), total - sent);
        byte[] chunk = new byte[n];
        System.arraycopy(payload, sent, chunk, 0, n);
        conn.send(new Frame.Data(1, chunk));
        sent += n;
        sendCredit -= n;
      }
      if (sent == total && !finSent) {
        conn.send(new Frame.Close(1, Frame.Close.FIN));
        finSent = true;
      }
      Object item = conn.nextItem(10_000);
      switch (item) {
        case Frame.Window w -> {
          assertThat(w.streamId()).isEqualTo(1);
          sendCredit += w.increment();
          granted += w.increment();
          windows++;
          assertThat(sendCredit).isLessThanOrEqualTo(window);
        }
        case Frame.Data d -> {
          assertThat(d.streamId()).isEqualTo(1);
          assertThat(d.length())
              .isLessThanOrEqualTo(maxPayload)
              .isLessThanOrEqualTo((int) recvCredit);
          recvCredit -= d.length();
          received += d.length();
          receivedCrc.update(d.bytes());
          pendingGrant += d.length();
          if (pendingGrant >= window / 2) {
            conn.send(new Frame.Window(1, pendingGrant));
            recvCredit += pendingGrant;
            pendingGrant = 0;
          }
        }
        case Frame.Close c -> {
          assertThat(c.streamId()).isEqualTo(1);
          assertThat(c.flags()).isEqualTo(Frame.Close.FIN);
          agentFin = true;
        }
        default -> fail("unexpected " + item);
      }
    }
    assertThat(received).isEqualTo(total);
    assertThat(receivedCrc.getValue()).isEqualTo(sentCrc.getValue());
    assertThat(windows).isGreaterThan(0);
    assertThat(granted).isGreaterThanOrEqualTo(total - window);

    // The finished stream is gone: frames for it are ignored, and the connection still works.
    conn.send(new Frame.Data(1, new byte[] {1}));
    conn.send(new Frame.Ping(7));
    assertThat(conn.next(Frame.Pong.class).opaque()).isEqualTo(7);
    assertThat(log())
        .contains("connected to ws://127.0.0.1:" + server.port() + "/tunnel as agent 12");
  }

  @Test
  void refusesDisallowedTargetsAndReportsConnectFailures() throws Exception {
    TunnelTestServer.Conn conn = server.accept(5000);
    conn.handshake(64 * 1024, 16 * 1024);

    conn.send(new Frame.Open(1, "127.0.0.1", disallowedPort));
    Frame.OpenFail notAllowed = conn.next(Frame.OpenFail.class);
    assertThat(notAllowed.streamId()).isEqualTo(1);
    assertThat(notAllowed.reason()).isEqualTo(Frame.OpenFail.NOT_ALLOWED);
    assertThat(notAllowed.message()).contains("not in the allow list");

    conn.send(new Frame.Open(3, "127.0.0.1", closedPort));
    Frame.OpenFail refused = conn.next(Frame.OpenFail.class);
    assertThat(refused.streamId()).isEqualTo(3);
    assertThat(refused.reason()).isEqualTo(Frame.OpenFail.REFUSED);

    // A name is resolved and admitted by the address entry its address falls in...
    conn.send(new Frame.Open(5, "localhost", echo.getLocalPort()));
    assertThat(conn.next(Frame.OpenOk.class).streamId()).isEqualTo(5);
    conn.send(new Frame.Close(5, Frame.Close.RESET));
    // ...and refused on a port no entry covers.
    conn.send(new Frame.Open(9, "localhost", disallowedPort));
    Frame.OpenFail byName = conn.next(Frame.OpenFail.class);
    assertThat(byName.streamId()).isEqualTo(9);
    assertThat(byName.reason()).isEqualTo(Frame.OpenFail.NOT_ALLOWED);

    conn.send(new Frame.Open(11, "10.0.0.1", echo.getLocalPort()));
    assertThat(conn.next(Frame.OpenFail.class).reason()).isEqualTo(Frame.OpenFail.NOT_ALLOWED);

    // An OPEN id not above every id seen: CLOSE(RESET) on it, no connection attempt.
    conn.send(new Frame.Open(3, "127.0.0.1", echo.getLocalPort()));
    Frame.Close reset = conn.next(Frame.Close.class);
    assertThat(reset.streamId()).isEqualTo(3);
    assertThat(reset.reset()).isTrue();

    assertThat(log())
        .contains("refused stream 1: 127.0.0.1:" + disallowedPort + " is not in the allow list");
  }

  @Test
  void directStreamTravelsOverItsOwnConnectionAfterThePreamble() throws Exception {
    TunnelTestServer.Conn conn = server.accept(5000);
    conn.handshake(64 * 1024, 16 * 1024);
    byte[] key = new byte[Frame.DIRECT_KEY_BYTES];
    new Random(7).nextBytes(key);
    try (ServerSocket dataPort = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      dataPort.setSoTimeout(10_000);
      conn.send(
          new Frame.OpenDirect(1, "127.0.0.1", echo.getLocalPort(), dataPort.getLocalPort(), key));
      try (Socket data = dataPort.accept()) {
        data.setSoTimeout(10_000);
        byte[] preamble = data.getInputStream().readNBytes(20);
        assertThat(new String(preamble, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("SLD1");
        assertThat(java.util.Arrays.copyOfRange(preamble, 4, 20)).isEqualTo(key);
        byte[] payload =
            new byte[3 * 1024 * 1024]; // far beyond any window: TCP does flow control here
        new Random(8).nextBytes(payload);
        Thread writer =
            Thread.ofVirtual()
                .start(() -> {
                  try {
                    data.getOutputStream().write(payload);
                    data.shutdownOutput(); // FIN travels as TCP half-close
                  } catch (java.io.IOException ignored) {
                    // the reader below fails the test
                  }
                });
        byte[] back = data.getInputStream().readAllBytes(); // the echo half-closes after our FIN
        writer.join(10_000);
        assertThat(back).isEqualTo(payload);
      }
    }
    // Nothing was sent for the stream in frames: the next frame is the answer to this PING.
    conn.send(new Frame.Ping(11));
    assertThat(conn.next(Frame.Pong.class).opaque()).isEqualTo(11);
    assertThat(log()).doesNotContain("failed (");
  }

  @Test
  void directStreamFallsBackToFramesWhenTheDataPortCannotBeReached() throws Exception {
    TunnelTestServer.Conn conn = server.accept(5000);
    conn.handshake(64 * 1024, 16 * 1024);
    // nothing listens on closedPort: the data connection is refused, the stream goes on in frames
    conn.send(
        new Frame.OpenDirect(
            1, "127.0.0.1", echo.getLocalPort(), closedPort, new byte[Frame.DIRECT_KEY_BYTES]));
    assertThat(conn.next(Frame.OpenOk.class).streamId()).isEqualTo(1);
    byte[] hello = "over frames".getBytes(StandardCharsets.US_ASCII);
    conn.send(new Frame.Data(1, hello));
    ByteArrayOutputStream back = new ByteArrayOutputStream();
    while (back.size() < hello.length) {
      back.writeBytes(conn.next(Frame.Data.class).bytes());
    }
    assertThat(back.toByteArray()).isEqualTo(hello);
    assertThat(log()).contains("direct data connection to 127.0.0.1:" + closedPort + " failed");
    // for the next minute, streams use frames without trying (and without waiting)
    conn.send(
        new Frame.OpenDirect(
            3, "127.0.0.1", echo.getLocalPort(), closedPort, new byte[Frame.DIRECT_KEY_BYTES]));
    assertThat(conn.next(Frame.OpenOk.class).streamId()).isEqualTo(3);
  }

  @Test
  void overrunResetsOnlyThatStream() throws Exception {
    TunnelTestServer.Conn conn = server.accept(5000);
    conn.handshake(1024, 4096);
    conn.send(new Frame.Open(1, "127.0.0.1", echo.getLocalPort()));
    assertThat(conn.next(Frame.OpenOk.class).streamId()).isEqualTo(1);
    conn.send(new Frame.Open(3, "127.0.0.1", echo.getLocalPort()));
    assertThat(conn.next(Frame.OpenOk.class).streamId()).isEqualTo(3);

    conn.send(new Frame.Data(1, new byte[2048])); // twice the window
    Frame.Close reset = conn.next(Frame.Close.class);
    assertThat(reset.streamId()).isEqualTo(1);
    assertThat(reset.reset()).isTrue();

    byte[] hello = "still alive".getBytes(StandardCharsets.US_ASCII);
    conn.send(new Frame.Data(3, hello));
    ByteArrayOutputStream back = new ByteArrayOutputStream();
    while (back.size() < hello.length) {
      Frame.Data d = conn.next(Frame.Data.class);
      assertThat(d.streamId()).isEqualTo(3);
      back.writeBytes(d.bytes());
    }
    assertThat(back.toByteArray()).isEqualTo(hello);
    // The server resets stream 3; a later DATA on it is ignored (no answer, connection stays up).
    conn.send(new Frame.Close(3, Frame.Close.RESET));
    conn.send(new Frame.Data(3, hello));
    conn.send(new Frame.Ping(9));
    assertThat(conn.next(Frame.Pong.class).opaque()).isEqualTo(9);
  }

  @Test
  void aStalledTargetDoesNotStallOtherStreams() throws Exception {
    TunnelTestServer.Conn conn = server.accept(5000);
    int window = 16 * 1024 * 1024;
    int maxPayload = 64 * 1024;
    conn.handshake(window, maxPayload);
    conn.send(new Frame.Open(1, "127.0.0.1", sink.getLocalPort()));
    assertThat(conn.next(Frame.OpenOk.class).streamId()).isEqualTo(1);
    byte[] chunk = new byte[maxPayload];
    for (int i = 0; i < window / maxPayload; i++) {
      conn.send(new Frame.Data(1, chunk)); // the sink never reads: the agent's writer blocks
    }
    conn.send(new Frame.Open(3, "127.0.0.1", echo.getLocalPort()));
    byte[] hello = "other stream".getBytes(StandardCharsets.US_ASCII);
    ByteArrayOutputStream back = new ByteArrayOutputStream();
    long deadline = System.nanoTime() + 10_000_000_000L;
    boolean opened = false;
    while (back.size() < hello.length) {
      assertThat(System.nanoTime()).isLessThan(deadline);
      Object item = conn.nextItem(10_000);
      if (item instanceof Frame.OpenOk ok && ok.streamId() == 3) {
        opened = true;
        conn.send(new Frame.Data(3, hello));
      } else if (item instanceof Frame.Data d && d.streamId() == 3) {
        back.writeBytes(d.bytes());
      } else if (!(item instanceof Frame.Window w && w.streamId() == 1)) {
        fail("unexpected " + item);
      }
    }
    assertThat(opened).isTrue();
    assertThat(back.toByteArray()).isEqualTo(hello);
  }

  @Test
  void reconnectsAfterTheServerDropsOrRefusesIt() throws Exception {
    TunnelTestServer.Conn first = server.accept(5000);
    first.handshake(64 * 1024, 16 * 1024);
    long t0 = System.nanoTime();
    first.ch.close();
    TunnelTestServer.Conn second = server.accept(10_000);
    assertThat(second.next(Frame.Hello.class).agentId()).isEqualTo("12");
    assertThat((System.nanoTime() - t0) / 1_000_000)
        .isLessThan(5000); // backoff is 100-500 ms; the rest is slack for a loaded machine

    // Authentication failure: GOAWAY + close 1008, retried with backoff all the same.
    second.refuse(1008, "authentication failed");
    TunnelTestServer.Conn third = server.accept(10_000);
    third.handshake(64 * 1024, 16 * 1024);
    // Protocol error from the server: the agent closes with the decoder's code and reconnects.
    third.send(new Frame.HelloOk(1, 1024));
    assertThat(third.next(Frame.GoAway.class).reason())
        .isEqualTo("protocol error: unexpected HELLO_OK");
    Object closed = third.nextItem(5000);
    assertThat(closed)
        .isEqualTo(new TunnelTestServer.Closed(1000, "protocol error: unexpected HELLO_OK"));
    TunnelTestServer.Conn fourth = server.accept(10_000);
    fourth.next(Frame.Hello.class);

    String log = log();
    assertThat(log).contains("disconnected: ").contains("retrying in ");
    assertThat(log)
        .containsPattern("disconnected: close 1008 authentication failed.*; retrying in \\d");
    assertThat(log.lines().filter(l -> l.contains(" connected to ")).count()).isEqualTo(2);
  }

  @Test
  void firstFrameOtherThanHelloOkIsAProtocolError() throws Exception {
    TunnelTestServer.Conn conn = server.accept(5000);
    conn.next(Frame.Hello.class);
    conn.send(new Frame.Open(1, "127.0.0.1", echo.getLocalPort()));
    // The JDK WebSocket client cannot send close code 1002: GOAWAY carries the reason, then close
    // 1000.
    assertThat(conn.next(Frame.GoAway.class).reason())
        .isEqualTo("protocol error: expected HELLO_OK");
    Object closed = conn.nextItem(5000);
    assertThat(closed)
        .isEqualTo(new TunnelTestServer.Closed(1000, "protocol error: expected HELLO_OK"));
    server.accept(3000).next(Frame.Hello.class);
  }
}
