package io.sluice.it;

import static io.sluice.it.Api.admin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.restassured.response.Response;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two nodes on one PostgreSQL database (issue 11, items 3 and 8): the build's server is node A, a
 * second server started from the same build ({@link ExtraServer}) is node B with its own HTTP and
 * proxy ports on 127.0.0.2. A user disabled through A loses its live session on B within a second
 * (the cluster event bus), and B refuses it at once afterwards.
 */
class ClusterIT {

  private static final String B_HOST = "127.0.0.2";
  private static final int B_HTTP = 9180;
  private static final int B_SOCKS = 1180;

  private static ExtraServer nodeB;
  private static Fixtures fx;

  @BeforeAll
  static void startNodeB() throws Exception {
    String url = System.getenv().getOrDefault("DB_URL", "");
    assumeThat(url.startsWith("jdbc:postgresql:"))
        .as("two nodes need a shared PostgreSQL database (DB_URL=%s)", url)
        .isTrue();
    Api.adminToken();
    fx = new Fixtures();
    nodeB =
        ExtraServer.named("node-b")
            .env("HTTP_PORT", String.valueOf(B_HTTP))
            .env("HTTPS_PORT", "9543")
            .env("SLUICE_SOCKS_PORT", String.valueOf(B_SOCKS))
            .env("SLUICE_HTTP_PROXY_PORT", "3228")
            .env("SLUICE_PROXY_BIND", B_HOST)
            .start(Duration.ofSeconds(180));
  }

  @AfterAll
  static void stopNodeB() throws Exception {
    if (nodeB != null) {
      nodeB.stop();
    }
    if (fx != null) {
      fx.close();
    }
  }

  @Test
  void aUserDisabledThroughNodeALosesItsLiveSessionOnNodeBWithinASecond() throws Exception {
    String name = Api.unique("cl");
    Response r =
        admin()
            .body(Map.of("username", name, "allowedDestinations", List.of(Fixtures.ALLOW_V4)))
            .post("/api/v1/users");
    assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
    int id = r.path("user.id");
    String pw = r.path("password");

    try (Socket onB = connectB(name, pw)) {
      echo(onB, "through node B");
      long t = System.nanoTime();
      admin().post("/api/v1/users/" + id + "/disable").then().statusCode(200);
      long cutMs = closedWithinMs(onB, Duration.ofSeconds(3));
      long total = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t);
      System.out.printf(
          "ClusterIT: session on node B cut %d ms after the disable call returned on node A (%d"
              + " ms including the call)%n",
          cutMs, total);
      assertThat(cutMs).as("cut on node B after the change on node A").isLessThan(1_000);
    }
    try (Socket s = new Socket(B_HOST, B_SOCKS)) {
      s.setSoTimeout(5_000);
      assertThat(Socks5Client.handshake(s, name, pw, "127.0.0.1", fx.echoPort()))
          .as("node B refuses the disabled user at once")
          .isEqualTo(-1);
    }
  }

  private static Socket connectB(String user, String pw) throws IOException {
    Socket s = new Socket(B_HOST, B_SOCKS);
    s.setSoTimeout(5_000);
    int rep = Socks5Client.handshake(s, user, pw, "127.0.0.1", fx.echoPort());
    assertThat(rep).as("SOCKS5 reply from node B").isZero();
    return s;
  }

  private static void echo(Socket s, String text) throws IOException {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    s.getOutputStream().write(b);
    s.getOutputStream().flush();
    byte[] back = new byte[b.length];
    new DataInputStream(s.getInputStream()).readFully(back);
    assertThat(new String(back, StandardCharsets.UTF_8)).isEqualTo(text);
  }

  /** Milliseconds until the peer closes the socket (fails after {@code d}). */
  private static long closedWithinMs(Socket s, Duration d) throws IOException {
    s.setSoTimeout((int) d.toMillis());
    long start = System.nanoTime();
    int read;
    try {
      read = s.getInputStream().read();
    } catch (SocketTimeoutException e) {
      throw new AssertionError("session on node B still open after " + d);
    } catch (SocketException reset) {
      read = -1;
    }
    assertThat(read).isEqualTo(-1);
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
  }
}
