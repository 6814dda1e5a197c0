package io.sluice.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.AbstractByteBuf;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.sluice.engine.support.HttpOrigin;
import io.sluice.engine.support.RawHttp;
import io.sluice.engine.support.TcpEcho;
import io.sluice.engine.support.TestEngine;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Opens and aborts thousands of handshakes in every phase (FIN and RST), then asserts that every
 * connection and session is gone and that Netty's PARANOID leak detector reported nothing.
 */
class LeakAndAbortTest {

  private static final int PER_PHASE = 250;
  static TestEngine t;
  static TcpEcho echo;
  static HttpOrigin origin;
  static final List<String> leaks = new CopyOnWriteArrayList<>();
  static final java.util.logging.Logger QUIET =
      java.util.logging.Logger.getLogger("io.sluice.engine");

  @BeforeAll
  static void up() throws Exception {
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    Field f = AbstractByteBuf.class.getDeclaredField("leakDetector");
    f.setAccessible(true);
    @SuppressWarnings("unchecked")
    ResourceLeakDetector<ByteBuf> detector = (ResourceLeakDetector<ByteBuf>) f.get(null);
    detector.setLeakListener((type, records) -> leaks.add(type + " " + records));
    QUIET.setLevel(
        java.util.logging.Level.WARNING); // thousands of INFO lines would dominate the run
    // With the NIO transport a client that vanishes while its BIND waits for the peer (reading
    // is off then) is noticed when the BIND times out, so that timeout is short here.
    t = new TestEngine(b -> b.bindAcceptTimeout(Duration.ofSeconds(3)));
    t.auth.acceptSource = true;
    echo = new TcpEcho();
    origin = new HttpOrigin();
  }

  @AfterAll
  static void down() throws IOException {
    QUIET.setLevel(null);
    echo.close();
    origin.close();
    t.close();
  }

  private static byte[] cat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    ByteBuffer b = ByteBuffer.allocate(n);
    for (byte[] p : parts) {
      b.put(p);
    }
    return b.array();
  }

  private static byte[] b(int... v) {
    byte[] r = new byte[v.length];
    for (int i = 0; i < v.length; i++) {
      r[i] = (byte) v[i];
    }
    return r;
  }

  static byte[] greeting = b(5, 1, 2);
  static byte[] login =
      cat(
          b(1, 5),
          "alice".getBytes(StandardCharsets.US_ASCII),
          b(6),
          "secret".getBytes(StandardCharsets.US_ASCII));

  static byte[] connect(int port) {
    return b(5, 1, 0, 1, 127, 0, 0, 1, port >> 8, port & 0xFF);
  }

  /** One aborted attempt: write the bytes (maybe wait for a reply) and close (RST when asked). */
  private static void attempt(int port, byte[] bytes, boolean readSome, boolean reset) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 3000);
      s.setSoTimeout(300);
      if (reset) {
        s.setSoLinger(true, 0);
      }
      OutputStream out = s.getOutputStream();
      if (bytes.length > 0) {
        out.write(bytes);
        out.flush();
      }
      if (readSome) {
        s.getInputStream().read();
      }
    } catch (IOException e) {
      // the engine may close first; that is fine
    }
  }

  @Test
  void abortedHandshakesInEveryPhaseLeaveNothingBehind() throws Exception {
    int socks = t.port("socks");
    int http = t.port("http");
    int mixed = t.port("mixed");
    int e = echo.port();
    String auth = "Proxy-Authorization: " + RawHttp.basic("alice", "secret") + "\r\n";
    List<byte[]> socksPhases =
        List.of(
            new byte[0],
            b(5),
            b(5, 3, 0),
            greeting,
            cat(greeting, b(1, 5, 'a')),
            cat(greeting, login),
            cat(greeting, login, b(5, 1, 0, 3, 9, 'l', 'o')),
            cat(greeting, login, connect(e)),
            cat(greeting, login, connect(e), "data".getBytes(StandardCharsets.US_ASCII)),
            cat(greeting, login, b(5, 2, 0, 1, 127, 0, 0, 1, 0, 0)),
            cat(greeting, login, b(5, 3, 0, 1, 0, 0, 0, 0, 0, 0)),
            cat(greeting, login, b(5, 9, 0, 1)),
            cat(
                greeting,
                b(1, 5),
                "alice".getBytes(StandardCharsets.US_ASCII),
                b(3, 'b', 'a', 'd')));
    List<byte[]> httpPhases =
        List.of(
            "GET http://127.0.0.1:".getBytes(StandardCharsets.US_ASCII),
            ("GET http://127.0.0.1:" + origin.port() + "/ HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n")
                .getBytes(StandardCharsets.US_ASCII),
            ("POST http://127.0.0.1:"
                    + origin.port()
                    + "/echo HTTP/1.1\r\n"
                    + auth
                    + "Transfer-Encoding: chunked\r\n\r\n5\r\nhel")
                .getBytes(StandardCharsets.US_ASCII),
            ("CONNECT 127.0.0.1:" + e + " HTTP/1.1\r\n" + auth + "\r\nearly")
                .getBytes(StandardCharsets.US_ASCII),
            ("GET / HTTP/1.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    List<byte[]> mixedPhases =
        List.of(
            b(4), b(4, 1, 0, 80, 0, 0, 0, 1, 'u'), cat(b(4, 1, e >> 8, e & 0xFF, 127, 0, 0, 1, 0)));

    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<?>> jobs = new ArrayList<>();
    long start = System.nanoTime();
    int total = 0;
    for (boolean reset : new boolean[] {false, true}) {
      for (int i = 0; i < PER_PHASE / 2; i++) {
        for (int p = 0; p < socksPhases.size(); p++) {
          byte[] bytes = socksPhases.get(p);
          boolean read = i % 2 == 0 && bytes.length > 0;
          jobs.add(pool.submit(() -> attempt(socks, bytes, read, reset)));
          total++;
        }
        for (byte[] bytes : httpPhases) {
          boolean read = i % 2 == 0;
          jobs.add(pool.submit(() -> attempt(http, bytes, read, reset)));
          total++;
        }
        for (byte[] bytes : mixedPhases) {
          jobs.add(pool.submit(() -> attempt(mixed, bytes, false, reset)));
          total++;
        }
      }
    }
    for (Future<?> j : jobs) {
      j.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();
    assertThat(total).isGreaterThan(5000);
    await()
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(() -> {
          assertThat(t.engine.activeSessionCount()).isZero();
          assertThat(t.engine.activeConnectionCount()).isZero();
        });
    // let the GC collect what was dropped, then allocate so that the detector reports it
    for (int round = 0; round < 5 && leaks.isEmpty(); round++) {
      System.gc();
      Thread.sleep(100);
      for (int i = 0; i < 2000; i++) {
        ByteBufAllocator.DEFAULT.buffer(16).release();
      }
    }
    assertThat(leaks).as("Netty leak reports").isEmpty();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(50));
  }

  @Test
  void theLeakDetectorIsWatching() throws Exception {
    // proves the listener above can fire: leak one buffer on purpose
    ByteBuf leaked = ByteBufAllocator.DEFAULT.buffer(8);
    leaked.writeByte(1);
    leaked = null;
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> {
          System.gc();
          for (int i = 0; i < 1000; i++) {
            ByteBufAllocator.DEFAULT.buffer(16).release();
          }
          return !leaks.isEmpty();
        });
    leaks.clear();
  }
}
