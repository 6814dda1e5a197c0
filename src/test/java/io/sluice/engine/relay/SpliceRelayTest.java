package io.sluice.engine.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.engine.config.EngineConfig;
import io.sluice.engine.spi.SessionView;
import io.sluice.engine.support.Socks5Client;
import io.sluice.engine.support.TestEngine;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Relays on epoll splice unshaped sessions (with splice on): every byte arrives, in order and
 * complete across a half close in each direction, and the session's usage equals the bytes sent.
 * The pipes Netty splices through are the evidence that the bytes did not pass through buffers.
 */
class SpliceRelayTest {

  private static final int UP = (3 << 20) + 13;
  private static final int DOWN = (5 << 20) + 7;

  /** Pipe descriptors this JVM holds (Netty opens one pipe per spliced direction). */
  private static long pipes() throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.filter(
              p -> {
                try {
                  return Files.readSymbolicLink(p).toString().startsWith("pipe:");
                } catch (IOException gone) {
                  return false; // closed while listing (the listing's own descriptor)
                }
              })
          .count();
    }
  }

  private static byte[] pattern(int n, int seed) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (i * 31 + seed + (i >>> 13));
    }
    return b;
  }

  /** A tunnel through the proxy's SOCKS5 or HTTP CONNECT listener to 127.0.0.1:port. */
  private static Socket tunnel(TestEngine t, String protocol, int port) throws IOException {
    if (protocol.equals("socks5")) {
      Socks5Client c = new Socks5Client(t.port("socks")).authenticated("alice", "secret");
      c.requestIp(1, InetAddress.getByName("127.0.0.1"), port);
      assertThat(c.reply().rep()).isZero();
      return c.socket;
    }
    Socket s = new Socket(InetAddress.getByName("127.0.0.1"), t.port("http"));
    String auth =
        Base64.getEncoder().encodeToString("alice:secret".getBytes(StandardCharsets.US_ASCII));
    s.getOutputStream()
        .write(
            ("CONNECT 127.0.0.1:"
                    + port
                    + " HTTP/1.1\r\nHost: 127.0.0.1:"
                    + port
                    + "\r\nProxy-Authorization: Basic "
                    + auth
                    + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
    StringBuilder head = new StringBuilder();
    InputStream in = s.getInputStream();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      assertThat(b).isNotNegative();
      head.append((char) b);
    }
    assertThat(head.toString()).startsWith("HTTP/1.1 200");
    return s;
  }

  /** Waits up to 10 s until this JVM holds at least {@code n} pipe descriptors. */
  private static long awaitPipes(long n) throws Exception {
    long now = pipes();
    for (int i = 0; i < 2000 && now < n; i++) {
      Thread.sleep(5);
      now = pipes();
    }
    return now;
  }

  /**
   * With splicing after 64 KiB (the default), a request and its answer below that are copied: no
   * pipe is ever opened for the session, and its usage is exact.
   */
  @ParameterizedTest
  @CsvSource({"socks5", "http"})
  void aShortExchangeIsCopiedWithoutAPipe(String protocol) throws Exception {
    byte[] request = pattern(1500, 3);
    byte[] answer = pattern(40_000, 4);
    try (TestEngine t = new TestEngine(b -> b.splice(true));
        ServerSocket target = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"))) {
      assertThat(EngineConfig.builder().build().spliceAfterBytes()).isEqualTo(65536);
      Thread.ofPlatform()
          .daemon()
          .start(() -> {
            try (Socket s = target.accept()) {
              s.getInputStream().readNBytes(request.length);
              s.getOutputStream().write(answer);
            } catch (IOException e) {
              // the assertions below fail
            }
          });
      long pipesBefore = pipes();
      try (Socket c = tunnel(t, protocol, target.getLocalPort())) {
        c.setSoTimeout(20_000);
        c.getOutputStream().write(request);
        assertThat(c.getInputStream().readAllBytes()).isEqualTo(answer);
        assertThat(pipes()).as("no pipe for a short exchange").isEqualTo(pipesBefore);
      }
      for (int i = 0; i < 2000 && t.events.closed.isEmpty(); i++) {
        Thread.sleep(5);
      }
      assertThat(t.events.closed).hasSize(1);
      assertThat(t.events.closed.get(0).bytesUp()).isEqualTo(request.length);
      assertThat(t.events.closed.get(0).bytesDown()).isEqualTo(answer.length);
    }
  }

  @ParameterizedTest
  @CsvSource({
    "socks5,true,0",
    "socks5,true,65536",
    "socks5,true,1000",
    "socks5,false,0",
    "http,true,0",
    "http,true,65536",
    "http,false,0"
  })
  void usageEqualsTheBytesSentEachWayAcrossHalfCloses(
      String protocol, boolean splice, int spliceAfter) throws Exception {
    byte[] upData = pattern(UP, 1);
    byte[] downData = pattern(DOWN, 2);
    AtomicLong received = new AtomicLong();
    AtomicLong mismatches = new AtomicLong();
    try (TestEngine t = new TestEngine(b -> b.splice(splice).spliceAfterBytes(spliceAfter));
        ServerSocket target = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"))) {
      Thread.ofPlatform()
          .daemon()
          .start(() -> {
            try (Socket s = target.accept()) {
              InputStream in = s.getInputStream();
              byte[] buf = new byte[65536];
              for (int n; (n = in.read(buf)) > 0; ) {
                for (int i = 0; i < n; i++) {
                  if (received.get() + i >= UP || buf[i] != upData[(int) received.get() + i]) {
                    mismatches.incrementAndGet();
                  }
                }
                received.addAndGet(n);
              }
              // the client's EOF arrived after all its bytes: answer, then close
              s.getOutputStream().write(downData);
            } catch (IOException e) {
              mismatches.incrementAndGet();
            }
          });
      long pipesBefore = pipes();
      boolean expectSplice = splice && t.engine.transportName().equals("epoll");
      try (Socket c = tunnel(t, protocol, target.getLocalPort())) {
        c.setSoTimeout(20_000);
        OutputStream out = c.getOutputStream();
        out.write(upData, 0, 65536);
        out.flush();
        for (int i = 0; i < 2000 && received.get() < 65536; i++) {
          Thread.sleep(5);
        }
        assertThat(received.get()).isEqualTo(65536);
        out.write(upData, 65536, UP - 65536);
        if (expectSplice) {
          // the up direction has carried more than its first bytes: it splices (from the start
          // with 0, after the threshold otherwise; Netty opens the pipe at the first spliced
          // read); the down direction has carried nothing yet
          assertThat(awaitPipes(pipesBefore + 2) - pipesBefore).isGreaterThanOrEqualTo(2);
        } else {
          assertThat(pipes()).isEqualTo(pipesBefore);
        }
        c.shutdownOutput();
        byte[] answer = c.getInputStream().readAllBytes();
        assertThat(answer).isEqualTo(downData);
      }
      for (int i = 0; i < 2000 && t.events.closed.isEmpty(); i++) {
        Thread.sleep(5);
      }
      assertThat(received.get()).isEqualTo(UP);
      assertThat(mismatches.get()).isZero();
      assertThat(t.events.closed).hasSize(1);
      for (int i = 0; i < 2000 && pipes() != pipesBefore; i++) {
        Thread.sleep(5);
      }
      assertThat(pipes()).as("pipes closed with the session").isEqualTo(pipesBefore);
      SessionView session = t.events.closed.get(0);
      assertThat(session.bytesUp()).isEqualTo(UP);
      assertThat(session.bytesDown()).isEqualTo(DOWN);
      assertThat(t.events.up.get()).isEqualTo(UP);
      assertThat(t.events.down.get()).isEqualTo(DOWN);
    }
  }
}
