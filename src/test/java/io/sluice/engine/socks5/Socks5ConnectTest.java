package io.sluice.engine.socks5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.engine.spi.UserLimits;
import io.sluice.engine.support.Socks5Client;
import io.sluice.engine.support.TcpEcho;
import io.sluice.engine.support.TestEngine;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class Socks5ConnectTest {

  static TestEngine t;
  static TcpEcho echo;

  @BeforeAll
  static void up() throws IOException {
    t = new TestEngine(b -> b.handshakeTimeout(Duration.ofMillis(700)));
    t.auth.user("carol", "pw", new UserLimits(2, 0, 0, 0));
    t.auth.user("dave", "pw", new UserLimits(0, 0, 0, 3));
    echo = new TcpEcho();
  }

  @AfterAll
  static void down() throws IOException {
    echo.close();
    t.close();
  }

  private static void assertEchoes(Socks5Client c, String text) throws IOException {
    byte[] msg = text.getBytes(StandardCharsets.US_ASCII);
    c.out.write(msg);
    assertThat(new String(c.read(msg.length), StandardCharsets.US_ASCII)).isEqualTo(text);
  }

  @Test
  void connectIpv4() throws IOException {
    try (Socks5Client c = new Socks5Client(t.port("socks")).authenticated("alice", "secret")) {
      c.requestIp(1, InetAddress.getByName("127.0.0.1"), echo.port());
      Socks5Client.Reply r = c.reply();
      assertThat(r.rep()).isZero();
      assertThat(r.bound().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
      assertThat(r.bound().getPort()).isPositive();
      assertEchoes(c, "hello over socks5");
      assertThat(t.engine.sessions())
          .anySatisfy(s -> {
            assertThat(s.protocol()).isEqualTo("socks5-connect");
            assertThat(s.principal().username()).isEqualTo("alice");
          });
    }
  }

  @Test
  void connectDomainLocalhost() throws IOException {
    try (Socks5Client c = new Socks5Client(t.port("socks")).authenticated("alice", "secret")) {
      c.requestDomain(1, "localhost", echo.port());
      assertThat(c.reply().rep()).isZero();
      assertEchoes(c, "by name");
    }
  }

  @Test
  void connectIpv6() throws IOException {
    InetAddress v6 = InetAddress.getByName("::1");
    TcpEcho echo6;
    try {
      echo6 = new TcpEcho(v6);
    } catch (IOException e) {
      Assumptions.abort("no IPv6 loopback: " + e);
      return;
    }
    try (echo6;
        Socks5Client c = new Socks5Client(t.port("socks")).authenticated("alice", "secret")) {
      c.requestIp(1, v6, echo6.port());
      assertThat(c.reply().rep()).isZero();
      assertEchoes(c, "v6");
    }
    assertThat(v6).isInstanceOf(Inet6Address.class);
  }

  @Test
  void halfCloseReachesDestinationAndBack() throws IOException {
    try (Socks5Client c = new Socks5Client(t.port("socks")).authenticated("alice", "secret")) {
      c.requestIp(1, InetAddress.getByName("127.0.0.1"), echo.port());
      assertThat(c.reply().rep()).isZero();
      c.out.write("last words".getBytes(StandardCharsets.US_ASCII));
      c.socket.shutdownOutput();
      // the echo server sees EOF only if the engine half-closed; it then answers and closes
      assertThat(new String(c.in.readAllBytes(), StandardCharsets.US_ASCII))
          .isEqualTo("last words");
    }
  }

  /**
   * A client that half-closes at once and reads a large answer only later: the relay must keep
   * writing to it after its EOF (regression: with Netty 4.2 epoll the descriptor could leave the
   * epoll set after the EOF, and the next write that had to wait failed, truncating the answer).
   */
  @Test
  void halfClosedClientStillReceivesALargeAnswer() throws Exception {
    int size = 8 << 20;
    try (java.net.ServerSocket source =
        new java.net.ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      Thread.ofVirtual()
          .start(() -> {
            while (!source.isClosed()) {
              try (java.net.Socket s = source.accept()) {
                byte[] chunk = new byte[65536];
                for (int sent = 0; sent < size; sent += chunk.length) {
                  s.getOutputStream().write(chunk);
                }
              } catch (IOException ignored) {
                // closed at the end, or the assertion below reports it
              }
            }
          });
      for (int round = 0; round < 5; round++) {
        try (Socks5Client c = new Socks5Client(t.port("socks")).authenticated("alice", "secret")) {
          c.requestIp(1, InetAddress.getByName("127.0.0.1"), source.getLocalPort());
          assertThat(c.reply().rep()).isZero();
          c.socket.shutdownOutput();
          Thread.sleep(300); // the answer fills every buffer while nobody reads
          assertThat(c.in.readAllBytes()).hasSize(size);
        }
      }
    }
  }

  @Test
  void wrongPasswordGetsStatus01AndClose() throws IOException {
    try (Socks5Client c = new Socks5Client(t.port("socks"))) {
      assertThat(c.greet(2)).isEqualTo(2);
      assertThat(c.login("alice", "nope")).isEqualTo(1);
      assertThat(c.closedByServer()).isTrue();
    }
    assertThat(t.events.authFailures).contains("bad-credentials");
  }

  @Test
  void noAuthOfferedWhenRequiredGetsFF() throws IOException {
    t.auth.acceptSource = false;
    try (Socks5Client c = new Socks5Client(t.port("socks"))) {
      assertThat(c.greet(0)).isEqualTo(0xFF);
      assertThat(c.closedByServer()).isTrue();
    }
  }

  @Test
  void methodNoAuthChosenWhenSourceAccepted() throws IOException {
    t.auth.acceptSource = true;
    try (Socks5Client c = new Socks5Client(t.port("socks"))) {
      assertThat(c.greet(0)).isZero();
      c.requestIp(1, InetAddress.getByName("127.0.0.1"), echo.port());
      assertThat(c.reply().rep()).isZero();
      assertEchoes(c, "by source");
    } finally {
      t.auth.acceptSource = false;
    }
  }

  @Test
  void noAcceptableMethodGetsFF() throws IOException {
    try (Socks5Client c = new Socks5Client(t.port("socks"))) {
      assertThat(c.greet(1, 0x80)).isEqualTo(0xFF);
      assertThat(c.closedByServer()).isTrue();
    }
  }

  @Test
  void passwordChosenWhenBothOffered() throws IOException {
    try (Socks5Client c = new Socks5Client(t.port("socks"))) {
      assertThat(c.greet(0, 2)).isEqualTo(2);
    }
  }

  @Test
  void policyDenyGetsRep02() throws IOException {
    try (ServerSocket denied = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"))) {
      t.policy.deniedPorts.add(denied.getLocalPort());
      try (Socks5Client c = new Socks5Client(t.port("socks")).authenticated("alice", "secret")) {
        c.requestDomain(1, "localhost", denied.getLocalPort());
        assertThat(c.reply().rep()).isEqualTo(2);
        assertThat(c.closedByServer()).isTrue();
      }
    }
  }

  @Test
  void refusedGetsRep05() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"))) {
      port = s.getLocalPort();
    }
    try (Socks5Client c = new Socks5Client(t.port("socks")).authenticated("alice", "secret")) {
      c.requestIp(1, InetAddress.getByName("127.0.0.1"), port);
      assertThat(c.reply().rep()).isEqualTo(5);
      assertThat(c.closedByServer()).isTrue();
    }
  }

  @Test
  void unresolvableGetsRep04() throws IOException {
    try (Socks5Client c = new Socks5Client(t.port("socks")).authenticated("alice", "secret")) {
      c.requestDomain(1, "no-such-host.invalid", 80);
      assertThat(c.reply().rep()).isEqualTo(4);
    }
  }

  @Test
  void handshakeTimeoutClosesSilentClient() throws IOException {
    try (Socks5Client c = new Socks5Client(t.port("socks"))) {
      c.socket.setSoTimeout(3000);
      long start = System.nanoTime();
      assertThat(c.closedByServer()).isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isBetween(Duration.ofMillis(500), Duration.ofMillis(2900));
    }
  }

  @Test
  void slowlorisAfterGreetingIsClosedToo() throws IOException {
    try (Socks5Client c = new Socks5Client(t.port("socks"))) {
      c.socket.setSoTimeout(3000);
      assertThat(c.greet(2)).isEqualTo(2);
      c.out.write(new byte[] {1, 5, 'a'}); // then nothing
      assertThat(c.closedByServer()).isTrue();
    }
  }

  @Test
  void maxConnectionsRefusesTheNextWithRep02() throws IOException {
    try (Socks5Client a = new Socks5Client(t.port("socks")).authenticated("carol", "pw");
        Socks5Client b = new Socks5Client(t.port("socks")).authenticated("carol", "pw");
        Socks5Client c = new Socks5Client(t.port("socks")).authenticated("carol", "pw")) {
      a.requestIp(1, InetAddress.getByName("127.0.0.1"), echo.port());
      assertThat(a.reply().rep()).isZero();
      b.requestIp(1, InetAddress.getByName("127.0.0.1"), echo.port());
      assertThat(b.reply().rep()).isZero();
      c.requestIp(1, InetAddress.getByName("127.0.0.1"), echo.port());
      assertThat(c.reply().rep()).isEqualTo(2);
      a.close();
      // the slot comes back when a session ends
      await()
          .atMost(Duration.ofSeconds(3))
          .untilAsserted(() -> {
            try (Socks5Client d = new Socks5Client(t.port("socks")).authenticated("carol", "pw")) {
              d.requestIp(1, InetAddress.getByName("127.0.0.1"), echo.port());
              assertThat(d.reply().rep()).isZero();
            }
          });
    }
  }

  @Test
  void sessionsPerMinuteLimit() throws IOException {
    for (int i = 0; i < 3; i++) {
      try (Socks5Client c = new Socks5Client(t.port("socks")).authenticated("dave", "pw")) {
        c.requestIp(1, InetAddress.getByName("127.0.0.1"), echo.port());
        assertThat(c.reply().rep()).isZero();
      }
    }
    try (Socks5Client c = new Socks5Client(t.port("socks")).authenticated("dave", "pw")) {
      c.requestIp(1, InetAddress.getByName("127.0.0.1"), echo.port());
      assertThat(c.reply().rep()).isEqualTo(2);
    }
  }

  @Test
  void closeUserSessionsClosesLiveSessions() throws IOException {
    try (Socks5Client a = new Socks5Client(t.port("socks")).authenticated("bob", "hunter2");
        Socks5Client b = new Socks5Client(t.port("socks")).authenticated("bob", "hunter2")) {
      a.requestIp(1, InetAddress.getByName("127.0.0.1"), echo.port());
      b.requestIp(1, InetAddress.getByName("127.0.0.1"), echo.port());
      assertThat(a.reply().rep()).isZero();
      assertThat(b.reply().rep()).isZero();
      assertEchoes(a, "x");
      long start = System.nanoTime();
      assertThat(t.engine.closeUserSessions(t.auth.id("bob"))).isEqualTo(2);
      a.socket.setSoTimeout(2000);
      b.socket.setSoTimeout(2000);
      assertThat(a.closedByServer()).isTrue();
      assertThat(b.closedByServer()).isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
      await()
          .atMost(Duration.ofSeconds(2))
          .until(() ->
              t.engine.sessions().stream().noneMatch(s -> "bob".equals(s.principal().username())));
    }
  }

  @Test
  void sessionCountersAndCloseById() throws IOException {
    try (Socks5Client c = new Socks5Client(t.port("socks")).authenticated("alice", "secret")) {
      c.requestIp(1, InetAddress.getByName("127.0.0.1"), echo.port());
      Socks5Client.Reply r = c.reply();
      assertThat(r.rep()).isZero();
      assertEchoes(c, "0123456789");
      var session =
          t.engine.sessions().stream()
              .filter(s -> s.connection().client().getPort() == c.socket.getLocalPort())
              .findFirst()
              .orElseThrow();
      assertThat(session.bytesUp()).isEqualTo(10);
      await().atMost(Duration.ofSeconds(2)).until(() -> session.bytesDown() == 10);
      assertThat(t.engine.closeSession(session.id())).isTrue();
      assertThat(c.closedByServer()).isTrue();
      await().atMost(Duration.ofSeconds(2)).until(() -> !t.engine.closeSession(session.id()));
      assertThat(t.events.opened).contains(session);
      await().atMost(Duration.ofSeconds(2)).until(() -> t.events.closed.contains(session));
      assertThat(t.events.up.get()).isGreaterThanOrEqualTo(10);
      assertThat(t.events.handshakes).contains("socks5:ok");
      assertThat(t.events.connects).contains("socks5-connect:ok");
    }
  }
}
