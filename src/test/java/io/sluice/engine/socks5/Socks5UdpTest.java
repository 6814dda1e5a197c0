package io.sluice.engine.socks5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.engine.support.Socks5Client;
import io.sluice.engine.support.TestEngine;
import io.sluice.engine.support.UdpEcho;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class Socks5UdpTest {

  static TestEngine t;
  static UdpEcho echo;
  static UdpEcho denied;

  @BeforeAll
  static void up() throws IOException {
    t = new TestEngine(b -> b.udpIdleTimeout(Duration.ofSeconds(1)));
    echo = new UdpEcho();
    denied = new UdpEcho();
    t.policy.deniedPorts.add(denied.port());
  }

  @AfterAll
  static void down() {
    echo.close();
    denied.close();
    t.close();
  }

  static byte[] datagram(int frag, String host, int port, String payload) {
    byte[] h = host.getBytes(StandardCharsets.US_ASCII);
    byte[] p = payload.getBytes(StandardCharsets.US_ASCII);
    ByteBuffer b = ByteBuffer.allocate(7 + h.length + p.length);
    b.putShort((short) 0)
        .put((byte) frag)
        .put((byte) 3)
        .put((byte) h.length)
        .put(h)
        .putShort((short) port)
        .put(p);
    return b.array();
  }

  static byte[] datagramIpv4(String payload, int port) {
    byte[] p = payload.getBytes(StandardCharsets.US_ASCII);
    ByteBuffer b = ByteBuffer.allocate(10 + p.length);
    b.putShort((short) 0)
        .put((byte) 0)
        .put((byte) 1)
        .put(new byte[] {127, 0, 0, 1})
        .putShort((short) port)
        .put(p);
    return b.array();
  }

  private static String receive(DatagramSocket s, int expectPort) throws IOException {
    byte[] buf = new byte[2048];
    DatagramPacket p = new DatagramPacket(buf, buf.length);
    s.receive(p);
    ByteBuffer b = ByteBuffer.wrap(p.getData(), 0, p.getLength());
    assertThat(b.getShort()).isZero();
    assertThat(b.get()).isZero();
    assertThat(b.get()).isEqualTo((byte) 1);
    byte[] a = new byte[4];
    b.get(a);
    assertThat(a).containsExactly(127, 0, 0, 1);
    assertThat(b.getShort() & 0xFFFF).isEqualTo(expectPort);
    return new String(
        Arrays.copyOfRange(p.getData(), b.position(), p.getLength()), StandardCharsets.US_ASCII);
  }

  @Test
  void udpRoundTripFragDroppedAndDeniedDropped() throws IOException {
    try (DatagramSocket udp = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"));
        Socks5Client c = new Socks5Client(t.port("socks")).authenticated("alice", "secret")) {
      udp.setSoTimeout(3000);
      c.requestIp(3, InetAddress.getByName("127.0.0.1"), udp.getLocalPort());
      Socks5Client.Reply r = c.reply();
      assertThat(r.rep()).isZero();
      InetSocketAddress relay = r.bound();
      assertThat(relay.getAddress().getHostAddress()).isEqualTo("127.0.0.1");

      byte[] d = datagram(0, "localhost", echo.port(), "ping by name");
      udp.send(new DatagramPacket(d, d.length, relay));
      assertThat(receive(udp, echo.port())).isEqualTo("ping by name");

      d = datagramIpv4("ping by ip", echo.port());
      udp.send(new DatagramPacket(d, d.length, relay));
      assertThat(receive(udp, echo.port())).isEqualTo("ping by ip");

      int before = echo.received.get();
      d = datagram(1, "localhost", echo.port(), "fragment");
      udp.send(new DatagramPacket(d, d.length, relay));
      d = datagramIpv4("to denied", denied.port());
      udp.send(new DatagramPacket(d, d.length, relay));
      // a marker after the dropped ones proves they were processed (in order) and dropped
      d = datagramIpv4("marker", echo.port());
      udp.send(new DatagramPacket(d, d.length, relay));
      assertThat(receive(udp, echo.port())).isEqualTo("marker");
      assertThat(echo.received.get()).isEqualTo(before + 1);
      assertThat(denied.received.get()).isZero();
      assertThat(t.policy.checked).contains(new InetSocketAddress("127.0.0.1", denied.port()));
    }
  }

  @Test
  void datagramsFromOtherPortsAreIgnored() throws IOException {
    try (DatagramSocket udp = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"));
        DatagramSocket stranger = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"));
        Socks5Client c = new Socks5Client(t.port("socks")).authenticated("alice", "secret")) {
      stranger.setSoTimeout(700);
      c.requestIp(3, InetAddress.getByName("127.0.0.1"), udp.getLocalPort());
      InetSocketAddress relay = c.reply().bound();
      int before = echo.received.get();
      byte[] d = datagramIpv4("stranger", echo.port());
      stranger.send(new DatagramPacket(d, d.length, relay));
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> stranger.receive(new DatagramPacket(new byte[100], 100)))
          .isInstanceOf(SocketTimeoutException.class);
      assertThat(echo.received.get()).isEqualTo(before);
    }
  }

  @Test
  void associationDiesWithControlConnection() throws IOException {
    Socks5Client c = new Socks5Client(t.port("socks")).authenticated("alice", "secret");
    c.requestIp(3, InetAddress.getByName("0.0.0.0"), 0);
    assertThat(c.reply().rep()).isZero();
    await()
        .atMost(Duration.ofSeconds(2))
        .until(() -> t.engine.sessions().stream().anyMatch(s -> s.protocol().equals("socks5-udp")));
    c.close();
    await()
        .atMost(Duration.ofSeconds(2))
        .until(
            () -> t.engine.sessions().stream().noneMatch(s -> s.protocol().equals("socks5-udp")));
  }

  @Test
  void idleAssociationIsClosed() throws IOException {
    try (Socks5Client c = new Socks5Client(t.port("socks")).authenticated("alice", "secret")) {
      c.requestIp(3, InetAddress.getByName("0.0.0.0"), 0);
      assertThat(c.reply().rep()).isZero();
      c.socket.setSoTimeout(4000);
      assertThat(c.closedByServer()).isTrue(); // udpIdleTimeout 1 s
    }
  }
}
