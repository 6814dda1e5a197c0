package io.sluice.engine.socks5;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.engine.support.Socks5Client;
import io.sluice.engine.support.TestEngine;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class Socks5BindTest {

  static TestEngine t;

  @BeforeAll
  static void up() {
    // handshake timeout shorter than the BIND wait: the wait for the peer must not be cut by it
    t =
        new TestEngine(b ->
            b.bindAcceptTimeout(Duration.ofMillis(800)).handshakeTimeout(Duration.ofMillis(300)));
  }

  @AfterAll
  static void down() {
    t.close();
  }

  @Test
  void bindRoundTrip() throws IOException {
    try (Socks5Client c = new Socks5Client(t.port("socks")).authenticated("alice", "secret")) {
      c.requestIp(2, InetAddress.getByName("127.0.0.1"), 0);
      Socks5Client.Reply first = c.reply();
      assertThat(first.rep()).isZero();
      assertThat(first.bound().getAddress().getHostAddress())
          .isEqualTo("127.0.0.1"); // control's local address
      try (Socket peer = new Socket(first.bound().getAddress(), first.bound().getPort())) {
        Socks5Client.Reply second = c.reply();
        assertThat(second.rep()).isZero();
        assertThat(second.bound().getPort()).isEqualTo(peer.getLocalPort());
        peer.getOutputStream().write("from peer".getBytes(StandardCharsets.US_ASCII));
        assertThat(new String(c.read(9), StandardCharsets.US_ASCII)).isEqualTo("from peer");
        c.out.write("to peer".getBytes(StandardCharsets.US_ASCII));
        peer.setSoTimeout(5000);
        assertThat(new String(peer.getInputStream().readNBytes(7), StandardCharsets.US_ASCII))
            .isEqualTo("to peer");
        assertThat(t.engine.sessions()).anyMatch(s -> s.protocol().equals("socks5-bind"));
      }
    }
  }

  @Test
  void bindPeerFromUnexpectedAddressIsRejected() throws IOException {
    try (Socks5Client c = new Socks5Client(t.port("socks")).authenticated("alice", "secret")) {
      // expect the peer from 127.0.0.2; our connection comes from 127.0.0.1
      c.requestIp(2, InetAddress.getByName("127.0.0.2"), 0);
      Socks5Client.Reply first = c.reply();
      assertThat(first.rep()).isZero();
      try (Socket peer = new Socket(first.bound().getAddress(), first.bound().getPort())) {
        peer.setSoTimeout(3000);
        assertThat(peer.getInputStream().read()).isEqualTo(-1); // closed by the engine
      }
      // no second success reply: the wait ends with the timeout reply X'06'
      assertThat(c.reply().rep()).isEqualTo(6);
      assertThat(c.closedByServer()).isTrue();
    }
  }

  @Test
  void bindTimesOutWithRep06() throws IOException {
    try (Socks5Client c = new Socks5Client(t.port("socks")).authenticated("alice", "secret")) {
      c.requestIp(2, InetAddress.getByName("127.0.0.1"), 0);
      Socks5Client.Reply first = c.reply();
      assertThat(first.rep()).isZero();
      assertThat(c.reply().rep()).isEqualTo(6);
      assertThat(c.closedByServer()).isTrue();
      // the listening socket is gone (NIO closes a registered channel's descriptor at its
      // selector's next wake-up, so allow a moment)
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(2))
          .until(() -> {
            try (Socket probe = new Socket(first.bound().getAddress(), first.bound().getPort())) {
              return false;
            } catch (IOException refused) {
              return true;
            }
          });
    }
  }
}
