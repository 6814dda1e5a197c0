package io.sluice.engine.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.engine.spi.SessionView;
import io.sluice.engine.support.Socks5Client;
import io.sluice.engine.support.TestEngine;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.MessageDigest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The target ends its side first and the client keeps sending: once the target's EOF has reached
 * the client, the relay lets the client channel close at its own EOF (no input shutdown on a socket
 * whose both directions ended, see {@code RelayHandler.lastDirection}). Every byte the client sent
 * after the target's EOF must still reach the target, also when the target reads them slowly (the
 * proxy holds unwritten bytes when the client's EOF arrives), when that direction starts splicing
 * only after the target's EOF, and on both transports; the session ends with exact usage.
 */
class RelayCloseOrderTest {

  private static final int FIRST = 1000;
  private static final int ANSWER = 30_000;
  private static final int TAIL = (2 << 20) + 5;

  private static byte[] pattern(int n, int seed) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (i * 17 + seed + (i >>> 11));
    }
    return b;
  }

  private static byte[] sha(byte[] b, int off, int len) throws Exception {
    MessageDigest d = MessageDigest.getInstance("SHA-256");
    d.update(b, off, len);
    return d.digest();
  }

  @ParameterizedTest(name = "native {0}, splice {1} after {2}")
  @CsvSource({"true,false,0", "true,true,65536", "true,true,0", "false,false,0"})
  void bytesSentAfterTheTargetsEofStillArrive(boolean nativeTransport, boolean splice, int after)
      throws Exception {
    byte[] first = pattern(FIRST, 1);
    byte[] answer = pattern(ANSWER, 2);
    byte[] tail = pattern(TAIL, 3);
    try (TestEngine t =
            new TestEngine(b ->
                b.preferNativeTransport(nativeTransport).splice(splice).spliceAfterBytes(after));
        ServerSocket target = new ServerSocket()) {
      // a small receive window: the proxy's writes to the target queue up in its outbound buffer,
      // so bytes are still unwritten there when the client's EOF arrives
      target.setReceiveBufferSize(8192);
      target.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 5);
      // a thread of its own: the common pool may be the engine's (one thread on two cores)
      CompletableFuture<byte[]> received = new CompletableFuture<>();
      Thread.ofPlatform()
          .daemon()
          .start(() -> {
            try (Socket s = target.accept()) {
              s.setSoTimeout(20_000);
              InputStream in = s.getInputStream();
              byte[] head = in.readNBytes(FIRST);
              s.getOutputStream().write(answer);
              s.shutdownOutput(); // the target's side ends first
              Thread.sleep(300); // the client's tail and EOF pile up in the proxy meanwhile
              byte[] rest = in.readAllBytes();
              byte[] all = new byte[head.length + rest.length];
              System.arraycopy(head, 0, all, 0, head.length);
              System.arraycopy(rest, 0, all, head.length, rest.length);
              received.complete(all);
            } catch (IOException | InterruptedException e) {
              received.completeExceptionally(e);
            }
          });
      try (Socks5Client c = new Socks5Client(t.port("socks")).authenticated("alice", "secret")) {
        c.socket.setSoTimeout(20_000);
        c.requestIp(1, InetAddress.getByName("127.0.0.1"), target.getLocalPort());
        assertThat(c.reply().rep()).isZero();
        OutputStream out = c.out;
        out.write(first);
        out.flush();
        assertThat(c.socket.getInputStream().readAllBytes())
            .as("the answer, then the target's EOF")
            .isEqualTo(answer);
        out.write(tail);
        c.socket.shutdownOutput();
        byte[] got = received.get(30, TimeUnit.SECONDS);
        assertThat(got.length).isEqualTo(FIRST + TAIL);
        assertThat(sha(got, 0, FIRST)).isEqualTo(sha(first, 0, FIRST));
        assertThat(sha(got, FIRST, TAIL)).isEqualTo(sha(tail, 0, TAIL));
        assertThat(c.socket.getInputStream().read())
            .as("closed after both sides ended")
            .isEqualTo(-1);
      }
      for (int i = 0; i < 2000 && t.events.closed.isEmpty(); i++) {
        Thread.sleep(5);
      }
      assertThat(t.events.closed).hasSize(1);
      SessionView session = t.events.closed.get(0);
      assertThat(session.bytesUp()).isEqualTo(FIRST + TAIL);
      assertThat(session.bytesDown()).isEqualTo(ANSWER);
    }
  }
}
