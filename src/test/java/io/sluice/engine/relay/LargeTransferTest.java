package io.sluice.engine.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.engine.support.HttpOrigin;
import io.sluice.engine.support.RawHttp;
import io.sluice.engine.support.Socks5Client;
import io.sluice.engine.support.TcpEcho;
import io.sluice.engine.support.TestEngine;
import io.sluice.engine.support.UdpEcho;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Megabytes through the relay and the HTTP forwarder, on epoll and on NIO, byte-exact. */
class LargeTransferTest {

  static byte[] random(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }

  static byte[] sha(byte[] b) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(b);
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void socksEchoOfEightMegabytes(boolean nativeTransport) throws Exception {
    byte[] data = random(8 * 1024 * 1024);
    try (TestEngine t = new TestEngine(b -> b.preferNativeTransport(nativeTransport));
        TcpEcho echo = new TcpEcho();
        Socks5Client c = new Socks5Client(t.port("socks")).authenticated("alice", "secret")) {
      if (!nativeTransport) {
        assertThat(t.engine.transportName()).isEqualTo("nio");
      }
      c.socket.setSoTimeout(20_000);
      c.requestIp(1, InetAddress.getByName("127.0.0.1"), echo.port());
      assertThat(c.reply().rep()).isZero();
      CompletableFuture<Void> writer =
          CompletableFuture.runAsync(() -> {
            try {
              OutputStream out = c.out;
              for (int off = 0; off < data.length; off += 65536) {
                out.write(data, off, Math.min(65536, data.length - off));
              }
            } catch (IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          });
      byte[] back = c.read(data.length);
      writer.get();
      assertThat(sha(back)).isEqualTo(sha(data));
    }
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void udpOnBothTransports(boolean nativeTransport) throws Exception {
    try (TestEngine t = new TestEngine(b -> b.preferNativeTransport(nativeTransport));
        UdpEcho echo = new UdpEcho();
        DatagramSocket udp = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"));
        Socks5Client c = new Socks5Client(t.port("socks")).authenticated("alice", "secret")) {
      udp.setSoTimeout(5000);
      c.requestIp(3, InetAddress.getByName("127.0.0.1"), udp.getLocalPort());
      Socks5Client.Reply r = c.reply();
      assertThat(r.rep()).isZero();
      byte[] d = io.sluice.engine.socks5.Socks5UdpTestAccess.datagramIpv4("both", echo.port());
      udp.send(new DatagramPacket(d, d.length, r.bound()));
      DatagramPacket p = new DatagramPacket(new byte[100], 100);
      udp.receive(p);
      assertThat(new String(p.getData(), 10, p.getLength() - 10, StandardCharsets.US_ASCII))
          .isEqualTo("both");
    }
  }

  @Test
  void httpForwardStreamsMegabytesBothWays() throws Exception {
    byte[] data = random(3 * 1024 * 1024);
    try (TestEngine t = new TestEngine();
        HttpOrigin origin = new HttpOrigin();
        RawHttp c = new RawHttp(t.port("http"))) {
      c.socket.setSoTimeout(20_000);
      String head =
          "POST http://127.0.0.1:"
              + origin.port()
              + "/echo HTTP/1.1\r\nHost: x\r\nProxy-Authorization: "
              + RawHttp.basic("alice", "secret")
              + "\r\nContent-Length: "
              + data.length
              + "\r\n\r\n";
      CompletableFuture<Void> writer =
          CompletableFuture.runAsync(() -> {
            try {
              c.send(head);
              c.socket.getOutputStream().write(data);
            } catch (IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          });
      RawHttp.Response r = c.read();
      writer.get();
      assertThat(r.status()).isEqualTo(200);
      assertThat(sha(r.body().getBytes(StandardCharsets.ISO_8859_1))).isEqualTo(sha(data));
      var session =
          t.engine.sessions().stream().filter(s -> s.protocol().equals("http-forward")).findFirst();
      assertThat(session)
          .hasValueSatisfying(s -> {
            assertThat(s.bytesUp()).isEqualTo(data.length);
            assertThat(s.bytesDown()).isEqualTo(data.length);
          });
    }
  }
}
