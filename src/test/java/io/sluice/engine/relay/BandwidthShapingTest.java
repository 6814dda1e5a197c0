package io.sluice.engine.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.engine.spi.UserLimits;
import io.sluice.engine.support.Socks5Client;
import io.sluice.engine.support.TcpEcho;
import io.sluice.engine.support.TestEngine;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** 200 KB at 100 KB/s (burst 10 KB) must take at least ~1.5 s, and not forever. */
class BandwidthShapingTest {

  static TestEngine t;
  static TcpEcho echo;

  @BeforeAll
  static void up() throws IOException {
    t = new TestEngine();
    t.auth.user("slow", "pw", new UserLimits(0, 100_000, 0, 0));
    t.auth.user("slowdown", "pw", new UserLimits(0, 0, 100_000, 0));
    t.auth.user("fast", "pw");
    echo = new TcpEcho();
  }

  @AfterAll
  static void down() throws IOException {
    echo.close();
    t.close();
  }

  private static Duration transfer(String user, int bytes) throws Exception {
    try (Socks5Client c = new Socks5Client(t.port("socks")).authenticated(user, "pw")) {
      c.socket.setSoTimeout(10_000);
      c.requestIp(1, InetAddress.getByName("127.0.0.1"), echo.port());
      assertThat(c.reply().rep()).isZero();
      long start = System.nanoTime();
      CompletableFuture<Void> writer =
          CompletableFuture.runAsync(() -> {
            try {
              c.out.write(new byte[bytes]);
            } catch (IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          });
      c.read(bytes);
      writer.get();
      return Duration.ofNanos(System.nanoTime() - start);
    }
  }

  @Test
  void uploadIsShaped() throws Exception {
    Duration d = transfer("slow", 200_000);
    assertThat(d).isGreaterThan(Duration.ofMillis(1500)).isLessThan(Duration.ofSeconds(6));
  }

  @Test
  void downloadIsShaped() throws Exception {
    Duration d = transfer("slowdown", 200_000);
    assertThat(d).isGreaterThan(Duration.ofMillis(1500)).isLessThan(Duration.ofSeconds(6));
  }

  @Test
  void unlimitedIsFast() throws Exception {
    assertThat(transfer("fast", 200_000)).isLessThan(Duration.ofMillis(1000));
  }
}
