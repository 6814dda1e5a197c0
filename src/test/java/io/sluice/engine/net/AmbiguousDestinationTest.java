package io.sluice.engine.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.engine.support.LogCapture;
import io.sluice.engine.support.RawHttp;
import io.sluice.engine.support.Socks5Client;
import io.sluice.engine.support.TcpEcho;
import io.sluice.engine.support.TestEngine;
import io.sluice.engine.support.UdpEcho;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Ambiguous IPv4 literals as destination names, over raw sockets against a real engine: every front
 * end answers with its "not allowed" reply and logs the connection id; canonical quads still work.
 */
class AmbiguousDestinationTest {

  static TestEngine t;
  static TcpEcho echo;

  @BeforeAll
  static void up() throws IOException {
    t = new TestEngine();
    echo = new TcpEcho();
  }

  @AfterAll
  static void down() throws IOException {
    echo.close();
    t.close();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "0177.0.0.1",
        "0x7f.1",
        "127.1",
        "2130706433",
        "0x7f000001",
        "127.0.0.0x1",
        "010.1.1.1"
      })
  void socks5ConnectAndBindAreNotAllowed(String host) throws IOException {
    for (int cmd : new int[] {1, 2}) {
      try (LogCapture logs = new LogCapture();
          Socks5Client c = new Socks5Client(t.port("socks")).authenticated("alice", "secret")) {
        c.requestDomain(cmd, host, echo.port());
        assertThat(c.reply().rep()).as("cmd %d to %s", cmd, host).isEqualTo(0x02);
        assertThat(c.closedByServer()).isTrue();
        assertThat(logs.lines)
            .anyMatch(l -> l.matches("\\[c\\w+\\] SOCKS5 destination .* refused: ambiguous.*"));
      }
    }
  }

  /**
   * UDP ASSOCIATE's DST.ADDR is a hint that is never resolved (PySocks sends "0"), so the
   * association is granted; a datagram to an ambiguous name is dropped, one to the canonical quad
   * written as a name is relayed.
   */
  @Test
  void udpDatagramsToAmbiguousNamesAreDropped() throws IOException {
    try (UdpEcho udpEcho = new UdpEcho();
        DatagramSocket udp = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"));
        Socks5Client c = new Socks5Client(t.port("socks")).authenticated("alice", "secret")) {
      udp.setSoTimeout(3000);
      c.requestDomain(3, "0", udp.getLocalPort());
      Socks5Client.Reply r = c.reply();
      assertThat(r.rep()).isZero();
      for (String host : List.of("0177.0.0.1", "127.1", "0x7f000001", "2130706433")) {
        byte[] d = datagram(host, udpEcho.port(), "dropped");
        udp.send(new DatagramPacket(d, d.length, r.bound()));
      }
      byte[] d = datagram("127.0.0.1", udpEcho.port(), "marker");
      udp.send(new DatagramPacket(d, d.length, r.bound()));
      DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
      udp.receive(p);
      assertThat(new String(p.getData(), 0, p.getLength(), StandardCharsets.US_ASCII))
          .endsWith("marker");
      assertThat(udpEcho.received.get()).isEqualTo(1);
    }
  }

  private static byte[] datagram(String host, int port, String payload) {
    byte[] h = host.getBytes(StandardCharsets.US_ASCII);
    byte[] p = payload.getBytes(StandardCharsets.US_ASCII);
    ByteBuffer b = ByteBuffer.allocate(7 + h.length + p.length);
    b.putShort((short) 0).put((byte) 0).put((byte) 3).put((byte) h.length).put(h);
    b.putShort((short) port).put(p);
    return b.array();
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "localhost"})
  void socks5CanonicalNamesKeepWorking(String host) throws IOException {
    try (Socks5Client c = new Socks5Client(t.port("socks")).authenticated("alice", "secret")) {
      c.requestDomain(1, host, echo.port());
      assertThat(c.reply().rep()).isZero();
      c.out.write("ok".getBytes(StandardCharsets.US_ASCII));
      assertThat(new String(c.read(2), StandardCharsets.US_ASCII)).isEqualTo("ok");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"0177.0.0.1", "127.1", "0x7f000001", "2130706433"})
  void httpConnectAndForwardAnswer400NamingTheReason(String host) throws IOException {
    String auth = "Proxy-Authorization: " + RawHttp.basic("alice", "secret") + "\r\n";
    try (LogCapture logs = new LogCapture();
        RawHttp c = new RawHttp(t.port("http"))) {
      c.send("CONNECT " + host + ":" + echo.port() + " HTTP/1.1\r\n" + auth + "\r\n");
      RawHttp.Response r = c.read();
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.body()).contains("ambiguous-ipv4-literal");
      assertThat(c.closedByServer()).isTrue();
      assertThat(logs.lines)
          .anyMatch(l -> l.matches("\\[c\\w+\\] HTTP destination .* refused: ambiguous.*"));
    }
    try (RawHttp c = new RawHttp(t.port("http"))) {
      c.send(
          "GET http://"
              + host
              + ":"
              + echo.port()
              + "/x HTTP/1.1\r\nHost: "
              + host
              + "\r\n"
              + auth
              + "\r\n");
      RawHttp.Response r = c.read();
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.body()).contains("ambiguous-ipv4-literal");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"0177.0.0.1", "127.1", "0x7f000001"})
  void socks4aIsRejected(String host) throws IOException {
    byte[] h = host.getBytes(StandardCharsets.US_ASCII);
    ByteBuffer b = ByteBuffer.allocate(8 + 5 + h.length + 1);
    b.put((byte) 4).put((byte) 1).putShort((short) echo.port()).put(new byte[] {0, 0, 0, 1});
    b.put("user".getBytes(StandardCharsets.US_ASCII)).put((byte) 0).put(h).put((byte) 0);
    try (LogCapture logs = new LogCapture();
        Socket s = new Socket("127.0.0.1", t.port("open"))) {
      s.setSoTimeout(5000);
      s.getOutputStream().write(b.array());
      byte[] reply = new byte[8];
      new DataInputStream(s.getInputStream()).readFully(reply);
      assertThat(reply[1]).isEqualTo((byte) 0x5B);
      assertThat(s.getInputStream().read()).isEqualTo(-1);
      assertThat(logs.lines)
          .anyMatch(l -> l.matches("\\[c\\w+\\] SOCKS4a destination .* refused: ambiguous.*"));
    }
  }
}
