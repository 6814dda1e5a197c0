package io.sluice.engine.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.engine.support.HttpOrigin;
import io.sluice.engine.support.RawHttp;
import io.sluice.engine.support.TcpEcho;
import io.sluice.engine.support.TestEngine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HttpProxyTest {

  static TestEngine t;
  static HttpOrigin origin;
  static HttpOrigin origin2;
  static TcpEcho echo;
  static final String AUTH = "Proxy-Authorization: " + RawHttp.basic("alice", "secret") + "\r\n";

  @BeforeAll
  static void up() throws IOException {
    t = new TestEngine(b -> b.handshakeTimeout(Duration.ofMillis(800)).maxHttpHeaderBytes(4096));
    origin = new HttpOrigin();
    origin2 = new HttpOrigin();
    echo = new TcpEcho();
  }

  @AfterAll
  static void down() throws IOException {
    origin.close();
    origin2.close();
    echo.close();
    t.close();
  }

  private String url(HttpOrigin o, String path) {
    return "http://127.0.0.1:" + o.port() + path;
  }

  @Test
  void connectTunnel() throws IOException {
    try (RawHttp c = new RawHttp(t.port("http"))) {
      c.send(
          "CONNECT 127.0.0.1:"
              + echo.port()
              + " HTTP/1.1\r\nHost: 127.0.0.1:"
              + echo.port()
              + "\r\n"
              + AUTH
              + "\r\n");
      RawHttp.Response r = c.read(true);
      assertThat(r.status()).isEqualTo(200);
      c.send("raw bytes through");
      assertThat(new String(c.in().readNBytes(17), StandardCharsets.US_ASCII))
          .isEqualTo("raw bytes through");
    }
  }

  @Test
  void connectWithEarlyDataIsForwarded() throws IOException {
    try (RawHttp c = new RawHttp(t.port("http"))) {
      c.send("CONNECT localhost:" + echo.port() + " HTTP/1.1\r\n" + AUTH + "\r\nearly");
      assertThat(c.read(true).status()).isEqualTo(200);
      assertThat(new String(c.in().readNBytes(5), StandardCharsets.US_ASCII)).isEqualTo("early");
    }
  }

  @Test
  void forwardKeepAliveTwoRequestsAndTwoHosts() throws IOException {
    int before = origin.seen.size();
    try (RawHttp c = new RawHttp(t.port("http"))) {
      c.send("GET " + url(origin, "/a?x=1") + " HTTP/1.1\r\nHost: ignored\r\n" + AUTH + "\r\n");
      RawHttp.Response r1 = c.read();
      assertThat(r1.status()).isEqualTo(200);
      assertThat(r1.body()).isEqualTo("hello /a");
      c.send("GET " + url(origin, "/b") + " HTTP/1.1\r\nHost: x\r\n" + AUTH + "\r\n");
      RawHttp.Response r2 = c.read();
      assertThat(r2.body()).isEqualTo("hello /b");
      c.send("GET " + url(origin2, "/c") + " HTTP/1.1\r\nHost: x\r\n" + AUTH + "\r\n");
      assertThat(c.read().body()).isEqualTo("hello /c");
    }
    var seen = origin.seen.subList(before, origin.seen.size());
    assertThat(seen).hasSize(2);
    assertThat(seen.get(0).uri()).isEqualTo("/a?x=1");
    assertThat(seen.get(0).headers().get("Host")).containsExactly("127.0.0.1:" + origin.port());
    // the origin connection was reused for the second request
    assertThat(seen.get(1).remotePort()).isEqualTo(seen.get(0).remotePort());
  }

  @Test
  void credentialsAndHopByHopHeadersAreNotForwarded() throws IOException {
    int before = origin.seen.size();
    try (RawHttp c = new RawHttp(t.port("http"))) {
      c.send(
          "GET "
              + url(origin, "/h")
              + " HTTP/1.1\r\nHost: x\r\n"
              + AUTH
              + "Connection: keep-alive, X-Private\r\nX-Private: secret-hop\r\nKeep-Alive: timeout=5\r\n"
              + "Proxy-Connection: keep-alive\r\nTE: trailers\r\nUpgrade: websocket\r\nX-End-To-End: kept\r\n"
              + "Authorization: Bearer for-origin\r\n\r\n");
      RawHttp.Response r = c.read();
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.headers()).containsEntry("x-origin", "yes").doesNotContainKey("keep-alive");
    }
    var h = origin.seen.get(before).headers();
    assertThat(h)
        .doesNotContainKeys(
            "Proxy-authorization",
            "Proxy-Authorization",
            "Connection",
            "X-private",
            "Keep-alive",
            "Proxy-connection",
            "Te",
            "Upgrade");
    assertThat(h.keySet())
        .noneMatch(k ->
            k.equalsIgnoreCase("proxy-authorization")
                || k.equalsIgnoreCase("x-private")
                || k.equalsIgnoreCase("te")
                || k.equalsIgnoreCase("upgrade")
                || k.equalsIgnoreCase("keep-alive"));
    assertThat(h.get("X-end-to-end")).containsExactly("kept");
    assertThat(h.get("Authorization")).containsExactly("Bearer for-origin");
  }

  @Test
  void chunkedRequestBodyAndChunkedResponse() throws IOException {
    try (RawHttp c = new RawHttp(t.port("http"))) {
      c.send(
          "POST "
              + url(origin, "/echo")
              + " HTTP/1.1\r\nHost: x\r\n"
              + AUTH
              + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
      RawHttp.Response r = c.read();
      assertThat(r.body()).isEqualTo("hello world");
      c.send(
          "POST "
              + url(origin, "/echo")
              + " HTTP/1.1\r\nHost: x\r\n"
              + AUTH
              + "Content-Length: 4\r\n\r\nbody");
      assertThat(c.read().body()).isEqualTo("body");
      c.send("GET " + url(origin, "/chunked") + " HTTP/1.1\r\nHost: x\r\n" + AUTH + "\r\n");
      RawHttp.Response r3 = c.read();
      assertThat(r3.headers()).containsEntry("transfer-encoding", "chunked");
      assertThat(r3.body()).isEqualTo("part0;part1;part2;part3;part4;");
      c.send("HEAD " + url(origin, "/x") + " HTTP/1.1\r\nHost: x\r\n" + AUTH + "\r\n");
      assertThat(c.read(true).status()).isEqualTo(200);
      c.send("GET " + url(origin, "/after-head") + " HTTP/1.1\r\nHost: x\r\n" + AUTH + "\r\n");
      assertThat(c.read().body()).isEqualTo("hello /after-head");
    }
  }

  @Test
  void http10ClientGetsCloseDelimitedResponse() throws IOException {
    try (RawHttp c = new RawHttp(t.port("http"))) {
      c.send("GET " + url(origin, "/chunked") + " HTTP/1.0\r\n" + AUTH + "\r\n");
      RawHttp.Response r = c.read();
      assertThat(r.headers()).doesNotContainKey("transfer-encoding");
      assertThat(r.body()).isEqualTo("part0;part1;part2;part3;part4;");
    }
  }

  @Test
  void missingCredentialsGet407WithChallenge() throws IOException {
    t.auth.acceptSource = false;
    try (RawHttp c = new RawHttp(t.port("http"))) {
      c.send(
          "GET "
              + url(origin, "/")
              + " HTTP/1.1\r\nHost: x\r\nAuthorization: "
              + RawHttp.basic("alice", "secret")
              + "\r\n\r\n");
      RawHttp.Response r = c.read();
      assertThat(r.status()).isEqualTo(407);
      assertThat(r.headers()).containsEntry("proxy-authenticate", "Basic realm=\"sluice\"");
      assertThat(c.closedByServer()).isTrue();
    }
  }

  @Test
  void wrongCredentialsGet407() throws IOException {
    try (RawHttp c = new RawHttp(t.port("http"))) {
      c.send(
          "CONNECT 127.0.0.1:"
              + echo.port()
              + " HTTP/1.1\r\nProxy-Authorization: "
              + RawHttp.basic("alice", "wrong")
              + "\r\n\r\n");
      RawHttp.Response r = c.read(true);
      assertThat(r.status()).isEqualTo(407);
      assertThat(r.headers()).containsKey("proxy-authenticate");
    }
  }

  @Test
  void sourceAuthenticationWithoutCredentials() throws IOException {
    t.auth.acceptSource = true;
    try (RawHttp c = new RawHttp(t.port("http"))) {
      c.send("GET " + url(origin, "/src") + " HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(c.read().body()).isEqualTo("hello /src");
    } finally {
      t.auth.acceptSource = false;
    }
  }

  @Test
  void originFormGets400() throws IOException {
    try (RawHttp c = new RawHttp(t.port("http"))) {
      c.send("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n" + AUTH + "\r\n");
      assertThat(c.read().status()).isEqualTo(400);
      assertThat(c.closedByServer()).isTrue();
    }
  }

  @Test
  void originFormWithoutCredentialsGets400NotA407() throws IOException {
    try (RawHttp c = new RawHttp(t.port("http"))) {
      c.send("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      assertThat(c.read().status()).isEqualTo(400);
    }
    try (RawHttp c = new RawHttp(t.port("http"))) {
      c.send("GET https://127.0.0.1/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      assertThat(c.read().status()).isEqualTo(400);
    }
  }

  @Test
  void oversizedHeadersGet431() throws IOException {
    try (RawHttp c = new RawHttp(t.port("http"))) {
      c.send(
          "GET "
              + url(origin, "/")
              + " HTTP/1.1\r\nHost: x\r\n"
              + AUTH
              + "X-Big: "
              + "a".repeat(5000)
              + "\r\n\r\n");
      assertThat(c.read().status()).isEqualTo(431);
      assertThat(c.closedByServer()).isTrue();
    }
  }

  @Test
  void policyDenyGets403() throws IOException {
    try (HttpOrigin forbidden = new HttpOrigin()) {
      t.policy.deniedPorts.add(forbidden.port());
      try (RawHttp c = new RawHttp(t.port("http"))) {
        c.send("GET " + url(forbidden, "/") + " HTTP/1.1\r\nHost: x\r\n" + AUTH + "\r\n");
        assertThat(c.read().status()).isEqualTo(403);
      }
      try (RawHttp c = new RawHttp(t.port("http"))) {
        c.send("CONNECT localhost:" + forbidden.port() + " HTTP/1.1\r\n" + AUTH + "\r\n");
        assertThat(c.read(true).status()).isEqualTo(403);
      }
      assertThat(forbidden.seen).isEmpty();
    }
  }

  @Test
  void unreachableGets502() throws IOException {
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    try (RawHttp c = new RawHttp(t.port("http"))) {
      c.send("GET http://127.0.0.1:" + port + "/ HTTP/1.1\r\nHost: x\r\n" + AUTH + "\r\n");
      assertThat(c.read().status()).isEqualTo(502);
    }
  }

  @Test
  void silentClientIsClosedAfterHandshakeTimeout() throws IOException {
    try (RawHttp c = new RawHttp(t.port("http"))) {
      c.send("GET " + url(origin, "/") + " HTTP/1.1\r\nHost: x\r\n"); // never finishes the head
      c.socket.setSoTimeout(3000);
      assertThat(c.closedByServer()).isTrue();
    }
  }

  @Test
  void closeUserSessionsClosesKeepAliveConnectionsAndTunnels() throws IOException {
    String bob = "Proxy-Authorization: " + RawHttp.basic("bob", "hunter2") + "\r\n";
    try (RawHttp fwd = new RawHttp(t.port("http"));
        RawHttp tunnel = new RawHttp(t.port("http"))) {
      fwd.send("GET " + url(origin, "/bob") + " HTTP/1.1\r\nHost: x\r\n" + bob + "\r\n");
      assertThat(fwd.read().body()).isEqualTo("hello /bob");
      tunnel.send("CONNECT 127.0.0.1:" + echo.port() + " HTTP/1.1\r\n" + bob + "\r\n");
      assertThat(tunnel.read(true).status()).isEqualTo(200);
      assertThat(t.engine.closeUserSessions(t.auth.id("bob"))).isEqualTo(2);
      fwd.socket.setSoTimeout(2000);
      tunnel.socket.setSoTimeout(2000);
      assertThat(fwd.closedByServer()).isTrue();
      assertThat(tunnel.closedByServer()).isTrue();
    }
  }

  @Test
  void httpOnMixedListener() throws IOException {
    try (RawHttp c = new RawHttp(t.port("mixed"))) {
      c.send("GET " + url(origin, "/mixed") + " HTTP/1.1\r\nHost: x\r\n" + AUTH + "\r\n");
      assertThat(c.read().body()).isEqualTo("hello /mixed");
    }
  }
}
