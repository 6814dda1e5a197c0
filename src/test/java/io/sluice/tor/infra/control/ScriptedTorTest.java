package io.sluice.tor.infra.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client against a scripted fake control port, only for what a real tor never does: silence,
 * garbage, endless lines.
 */
class ScriptedTorTest {

  ServerSocket server;

  @BeforeEach
  void listen() throws IOException {
    server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
  }

  @AfterEach
  void close() throws IOException {
    server.close();
  }

  private TorControlConnection connect(String answer, AtomicReference<String> closed)
      throws IOException {
    Thread.ofPlatform()
        .daemon()
        .start(() -> {
          try (Socket s = server.accept()) {
            s.getInputStream().read(new byte[256]);
            OutputStream o = s.getOutputStream();
            o.write(answer.getBytes(StandardCharsets.ISO_8859_1));
            o.flush();
            Thread.sleep(3000);
          } catch (Exception e) {
            // the test side closed first
          }
        });
    return TorControlConnection.open(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()),
        Duration.ofMillis(500),
        Thread.ofPlatform().factory(),
        e -> {},
        closed::set);
  }

  @Test
  void noReplyTimesOutAndCloses() throws IOException {
    AtomicReference<String> closed = new AtomicReference<>();
    TorControlConnection c = connect("", closed);
    long t0 = System.nanoTime();
    assertThatThrownBy(() -> c.getInfo("version"))
        .isInstanceOf(ControlException.class)
        .hasMessageContaining("no reply within 500 ms");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
    assertThat(c.isOpen()).isFalse();
    assertThat(closed.get()).contains("no reply");
  }

  @Test
  void garbageClosesTheConnection() throws IOException {
    AtomicReference<String> closed = new AtomicReference<>();
    TorControlConnection c = connect("HTTP/1.0 200 OK\r\n", closed);
    assertThatThrownBy(() -> c.getInfo("version")).isInstanceOf(ControlException.class);
    await().atMost(Duration.ofSeconds(2)).until(() -> closed.get() != null);
    assertThat(closed.get()).contains("status is not three digits");
  }

  @Test
  void anEndlessLineIsRefused() throws IOException {
    AtomicReference<String> closed = new AtomicReference<>();
    TorControlConnection c =
        connect("250-" + "x".repeat(TorControlConnection.MAX_LINE_BYTES + 10), closed);
    assertThatThrownBy(() -> c.getInfo("version")).isInstanceOf(ControlException.class);
    await().atMost(Duration.ofSeconds(2)).until(() -> closed.get() != null);
    assertThat(closed.get()).contains("line over");
  }

  @Test
  void anErrorStatusIsAnException() throws IOException {
    AtomicReference<String> closed = new AtomicReference<>();
    TorControlConnection c = connect("552 Unrecognized key \"nope\"\r\n", closed);
    assertThatThrownBy(() -> c.getInfo("nope"))
        .isInstanceOf(ControlException.class)
        .satisfies(e -> assertThat(((ControlException) e).status()).isEqualTo(552));
    assertThat(c.isOpen()).isTrue();
    c.close();
  }
}
