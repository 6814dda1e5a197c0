package io.sluice.engine.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.engine.support.Socks5Client;
import io.sluice.engine.support.TcpEcho;
import io.sluice.engine.support.TestEngine;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The session idle timeout (one timer, on the client channel) closes a tunnel with no traffic
 * either way, and traffic in either direction alone keeps it open.
 */
class RelayIdleTest {

  private static final Duration IDLE = Duration.ofMillis(500);

  private static Socks5Client tunnel(TestEngine t, int port) throws IOException {
    Socks5Client c = new Socks5Client(t.port("socks")).authenticated("alice", "secret");
    c.socket.setSoTimeout(5000);
    c.requestIp(1, InetAddress.getByName("127.0.0.1"), port);
    assertThat(c.reply().rep()).isZero();
    return c;
  }

  @Test
  void silentTunnelIsClosedAfterTheIdleTimeout() throws Exception {
    try (TestEngine t = new TestEngine(b -> b.idleTimeout(IDLE));
        TcpEcho echo = new TcpEcho();
        Socks5Client c = tunnel(t, echo.port())) {
      long start = System.nanoTime();
      assertThat(c.in.read()).isEqualTo(-1); // blocks until the proxy closes
      long ms = (System.nanoTime() - start) / 1_000_000;
      assertThat(ms).isBetween(IDLE.toMillis() - 100, IDLE.toMillis() + 2000);
    }
  }

  @Test
  void trafficUpOnlyKeepsTheTunnelOpen() throws Exception {
    try (TestEngine t = new TestEngine(b -> b.idleTimeout(IDLE));
        ServerSocket sink = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"))) {
      Thread.ofPlatform()
          .daemon()
          .start(() -> {
            try (Socket s = sink.accept()) {
              s.getInputStream().transferTo(OutputStream.nullOutputStream()); // reads, never writes
            } catch (IOException ignored) {
              // test over
            }
          });
      try (Socks5Client c = tunnel(t, sink.getLocalPort())) {
        for (int i = 0; i < 12; i++) { // 1.2 s, more than twice the idle timeout
          c.out.write('x');
          c.out.flush();
          Thread.sleep(100);
        }
        assertThat(c.socket.getInputStream().available()).isZero();
        c.out.write('y'); // still relayed: no reset
        assertThat(t.engine.activeSessionCount()).isEqualTo(1);
      }
    }
  }

  @Test
  void trafficDownOnlyKeepsTheTunnelOpen() throws Exception {
    try (TestEngine t = new TestEngine(b -> b.idleTimeout(IDLE));
        ServerSocket ticker = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"))) {
      Thread.ofPlatform()
          .daemon()
          .start(() -> {
            try (Socket s = ticker.accept()) {
              for (int i = 0; i < 12; i++) { // writes, never reads
                s.getOutputStream().write('t');
                s.getOutputStream().flush();
                Thread.sleep(100);
              }
              Thread.sleep(5000);
            } catch (IOException | InterruptedException ignored) {
              // test over
            }
          });
      try (Socks5Client c = tunnel(t, ticker.getLocalPort())) {
        for (int i = 0; i < 12; i++) {
          assertThat(c.in.read()).isEqualTo('t');
        }
        assertThat(t.engine.activeSessionCount()).isEqualTo(1);
        // then silence: closed by the idle timeout
        assertThat(c.in.read()).isEqualTo(-1);
      }
    }
  }
}
