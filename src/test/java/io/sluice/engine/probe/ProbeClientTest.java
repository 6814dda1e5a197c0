package io.sluice.engine.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.util.concurrent.DefaultThreadFactory;
import io.sluice.engine.exit.FailureKind;
import io.sluice.engine.spi.ExitRoute;
import io.sluice.engine.support.Microsocks;
import io.sluice.engine.support.TestEngine;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * {@link ProbeClient} against real sockets: an HTTP origin, {@code microsocks} (a real SOCKS5
 * server, bound to 127.0.0.2 for its outgoing connections so the origin sees that the request went
 * through it), a Sluice engine as upstream HTTP CONNECT proxy, and raw peers for broken responses.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ProbeClientTest {

  static final String USER = "probe-user";
  static final String PASSWORD = "Probe-Pw-90210";
  static final String WRONG = "Wrong-Pw-31337";
  static final Duration T = Duration.ofSeconds(3);

  ProbeClient client;
  EchoOrigin origin;
  Microsocks socksOpen;
  Microsocks socksAuth;
  TestEngine httpUpstream;

  @BeforeAll
  void up() throws Exception {
    client = ProbeClient.standalone(new DefaultThreadFactory("probe-test", true));
    origin = new EchoOrigin();
    httpUpstream = new TestEngine();
    httpUpstream.auth.user(USER, PASSWORD);
    if (Microsocks.binary() != null) {
      socksOpen = Microsocks.start(null, null, "127.0.0.2");
      socksAuth = Microsocks.start(USER, PASSWORD, "127.0.0.2");
    }
  }

  @AfterAll
  void down() throws Exception {
    if (socksOpen != null) {
      socksOpen.close();
    }
    if (socksAuth != null) {
      socksAuth.close();
    }
    httpUpstream.close();
    origin.close();
    client.close();
  }

  // ---------------------------------------------------------------- helpers

  static ExitRoute direct() {
    return ExitRoute.direct();
  }

  ExitRoute socks(String user, String password) {
    Assumptions.assumeTrue(socksOpen != null, "microsocks not installed");
    return new ExitRoute.Socks5Upstream(
        "ms", "127.0.0.1", user == null ? socksOpen.port() : socksAuth.port(), user, password);
  }

  ExitRoute socksAuthWithout() {
    Assumptions.assumeTrue(socksAuth != null, "microsocks not installed");
    return new ExitRoute.Socks5Upstream("ms", "127.0.0.1", socksAuth.port(), null, null);
  }

  ExitRoute http(String user, String password) {
    return new ExitRoute.HttpUpstream("up", "127.0.0.1", httpUpstream.port("http"), user, password);
  }

  static int deadPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    }
  }

  ProbeOutcome get(ExitRoute route, URI url) {
    return get(route, url, T);
  }

  ProbeOutcome get(ExitRoute route, URI url, Duration timeout) {
    return client.get(route, url, timeout).orTimeout(15, TimeUnit.SECONDS).join();
  }

  static ProbeOutcome.Response response(ProbeOutcome o) {
    assertThat(o).isInstanceOf(ProbeOutcome.Response.class);
    return (ProbeOutcome.Response) o;
  }

  static ProbeOutcome.Failure failure(ProbeOutcome o) {
    assertThat(o).isInstanceOf(ProbeOutcome.Failure.class);
    return (ProbeOutcome.Failure) o;
  }

  static void assertNoSecret(ProbeOutcome o) {
    String all = o.toString();
    String basic =
        Base64.getEncoder()
            .encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    assertThat(all).doesNotContain(PASSWORD).doesNotContain(WRONG).doesNotContain(basic);
  }

  // ---------------------------------------------------------------- direct

  @Test
  void directGetReportsStatusBodyAndLatency() {
    origin.requests.clear();
    ProbeOutcome.Response r =
        response(client.get(direct(), origin.url("/ip"), T, Map.of("Accept", "text/plain")).join());
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.reason()).isEqualTo("OK");
    assertThat(r.body()).isEqualTo("127.0.0.1");
    assertThat(r.latencyMillis()).isBetween(0L, 3000L);
    assertThat(r.stage()).isEqualTo(ProbeStage.DONE);
    assertThat(origin.requests)
        .singleElement()
        .satisfies(h -> {
          assertThat(h.get("Host")).containsExactly("127.0.0.1:" + origin.port());
          assertThat(h.get("Connection")).containsExactly("close");
          assertThat(h.get("Accept")).containsExactly("text/plain");
        });
  }

  @Test
  void directResolvesANameAndTriesItsAddresses() {
    ProbeOutcome.Response r =
        response(get(direct(), URI.create("http://localhost:" + origin.port() + "/ip")));
    assertThat(r.body()).isEqualTo("127.0.0.1");
  }

  @Test
  void directBindsTheRoutesLocalAddress() throws Exception {
    ExitRoute route = new ExitRoute.Direct("d4", InetAddress.getByName("127.0.0.4"));
    assertThat(response(get(route, origin.url("/ip"))).body()).isEqualTo("127.0.0.4");
  }

  @Test
  void nonOkStatusIsAResponseNotAFailure() {
    ProbeOutcome.Response r = response(get(direct(), origin.url("/status/503")));
    assertThat(r.status()).isEqualTo(503);
    assertThat(r.reason()).isEqualTo("Service Unavailable");
    assertThat(r.body()).isEqualTo("status 503");
  }

  @Test
  void refusedDirectPortFailsInConnectWithoutReachingTheTarget() throws IOException {
    int dead = deadPort();
    ProbeOutcome.Failure f = failure(get(direct(), URI.create("http://127.0.0.1:" + dead + "/ip")));
    assertThat(f.stage()).isEqualTo(ProbeStage.CONNECT);
    assertThat(f.kind()).isEqualTo(FailureKind.REFUSED);
    assertThat(f.exitReached()).isFalse();
    assertThat(f.timedOut()).isFalse();
    assertThat(f.upstreamReply()).isEqualTo(-1);
    assertThat(f.message()).isEqualTo("connection refused by the target 127.0.0.1:" + dead);
  }

  @Test
  void unknownNameFailsInResolve() {
    ProbeOutcome.Failure f = failure(get(direct(), URI.create("http://no-such-host.invalid/ip")));
    assertThat(f.stage()).isEqualTo(ProbeStage.RESOLVE);
    assertThat(f.kind()).isEqualTo(FailureKind.UNRESOLVABLE);
    assertThat(f.message()).isEqualTo("cannot resolve no-such-host.invalid");
  }

  @Test
  void silentOriginTimesOutOnTheEventLoopAndTheConnectionIsClosed() throws Exception {
    try (RawPeer silent = new RawPeer(null, true, false)) {
      long t0 = System.nanoTime();
      ProbeOutcome.Failure f = failure(get(direct(), silent.url("/"), Duration.ofMillis(700)));
      long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      assertThat(took).isBetween(650L, 2500L);
      assertThat(f.timedOut()).isTrue();
      assertThat(f.kind()).isEqualTo(FailureKind.TIMEOUT);
      assertThat(f.stage()).isEqualTo(ProbeStage.RESPONSE);
      assertThat(f.exitReached()).isTrue();
      assertThat(f.latencyMillis()).isBetween(650L, 2500L);
      assertThat(f.message()).isEqualTo("timed out after 700 ms waiting for the response");
      assertThat(silent.awaitClientClosed()).as("probe closed its connection").isTrue();
    }
  }

  @Test
  void aPeerDrippingBytesCannotExtendTheDeadline() throws Exception {
    try (ServerSocket ss = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"))) {
      Thread drip =
          Thread.ofVirtual()
              .start(() -> {
                try (var s = ss.accept()) {
                  s.getInputStream().read(new byte[1024]);
                  s.getOutputStream()
                      .write("HTTP/1.1 200 OK\r\n".getBytes(StandardCharsets.US_ASCII));
                  while (true) {
                    s.getOutputStream().write("X-A: b\r\n".getBytes(StandardCharsets.US_ASCII));
                    s.getOutputStream().flush();
                    Thread.sleep(100);
                  }
                } catch (IOException | InterruptedException e) {
                  // the probe went away
                }
              });
      ProbeOutcome.Failure f =
          failure(
              get(
                  direct(),
                  URI.create("http://127.0.0.1:" + ss.getLocalPort() + "/"),
                  Duration.ofMillis(800)));
      assertThat(f.timedOut()).isTrue();
      assertThat(f.latencyMillis()).isLessThan(2500L);
      drip.join(3000);
      assertThat(drip.isAlive()).as("the probe closed the connection").isFalse();
    }
  }

  // ---------------------------------------------------------------- sizes and framing

  @Test
  void bodiesUpToTheLimitAreReadWhateverTheFraming() {
    assertThat(response(get(direct(), origin.url("/bytes/65536"))).body()).hasSize(65536);
    assertThat(response(get(direct(), origin.url("/chunked/65536"))).body()).hasSize(65536);
  }

  @Test
  void oversizeBodiesFailWhateverTheFraming() throws Exception {
    for (String path : List.of("/bytes/65537", "/chunked/70000")) {
      ProbeOutcome.Failure f = failure(get(direct(), origin.url(path)));
      assertThat(f.stage()).as(path).isEqualTo(ProbeStage.RESPONSE);
      assertThat(f.kind()).isEqualTo(FailureKind.GENERAL);
      assertThat(f.message()).as(path).isEqualTo("response body exceeds 64 KiB");
    }
    byte[] closeDelimited =
        ("HTTP/1.1 200 OK\r\n\r\n" + "y".repeat(70_000)).getBytes(StandardCharsets.US_ASCII);
    try (RawPeer raw = new RawPeer(closeDelimited, true, true)) {
      assertThat(failure(get(direct(), raw.url("/"))).message())
          .isEqualTo("response body exceeds 64 KiB");
    }
  }

  @Test
  void closeDelimitedBodyAndInterimResponses() throws Exception {
    byte[] answer =
        ("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n203.0.113.7\n")
            .getBytes(StandardCharsets.US_ASCII);
    try (RawPeer raw = new RawPeer(answer, true, true)) {
      ProbeOutcome.Response r = response(get(direct(), raw.url("/")));
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("203.0.113.7\n");
    }
  }

  @Test
  void brokenResponsesAreFailuresInTheResponseStage() throws Exception {
    String[][] cases = {
      {
        "HTTP/1.1 200 OK\r\nX-Filler: " + "a".repeat(17 * 1024) + "\r\nContent-Length: 1\r\n\r\n1",
        "response headers exceed 16 KiB"
      },
      {"HTTP/1.1 200 OK\r\nContent-Length: 20\r\n\r\n1.2.3.4", "response body truncated"},
      {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n1.2.", "response body truncated"},
      {"SSH-2.0-OpenSSH_9.6\r\n\r\n", "malformed HTTP response"},
      {"", "connection closed by peer before a response"}
    };
    for (String[] c : cases) {
      try (RawPeer raw = new RawPeer(c[0].getBytes(StandardCharsets.US_ASCII), true, true)) {
        ProbeOutcome.Failure f = failure(get(direct(), raw.url("/")));
        assertThat(f.message()).as(c[0]).startsWith(c[1]);
        assertThat(f.stage()).as(c[0]).isEqualTo(ProbeStage.RESPONSE);
        assertThat(f.exitReached()).isTrue();
        assertThat(f.timedOut()).isFalse();
      }
    }
  }

  @Test
  void unusableUrlsFailInTheUrlStage() {
    assertThat(failure(get(direct(), URI.create("ftp://127.0.0.1/ip"))).stage())
        .isEqualTo(ProbeStage.URL);
    assertThat(failure(get(direct(), URI.create("http://u:p@127.0.0.1/ip"))).message())
        .isEqualTo("URL must not carry user info");
    assertThatThrownBy(() -> client.get(direct(), origin.url("/ip"), Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> client.get(direct(), origin.url("/ip"), T, Map.of("X-Bad", "a\r\nInjected: 1")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // ---------------------------------------------------------------- SOCKS5 upstream (microsocks)

  @Test
  void socks5WithoutCredentialsGoesThroughTheExit() {
    ProbeOutcome.Response r = response(get(socks(null, null), origin.url("/ip")));
    // microsocks -b 127.0.0.2: the origin saw the exit's outgoing address, not ours
    assertThat(r.body()).isEqualTo("127.0.0.2");
  }

  @Test
  void socks5WithCredentialsGoesThroughTheExit() {
    ProbeOutcome o = get(socks(USER, PASSWORD), origin.url("/ip"));
    assertThat(response(o).body()).isEqualTo("127.0.0.2");
    assertNoSecret(o);
  }

  @Test
  void socks5SendsANameUnresolved() {
    ProbeOutcome.Response r =
        response(get(socks(null, null), URI.create("http://localhost:" + origin.port() + "/ip")));
    assertThat(r.body()).isEqualTo("127.0.0.2");
  }

  @Test
  void socks5WrongPasswordIsExitAuthInTheHandshake() {
    ProbeOutcome.Failure f = failure(get(socks(USER, WRONG), origin.url("/ip")));
    assertThat(f.stage()).isEqualTo(ProbeStage.HANDSHAKE);
    assertThat(f.kind()).isEqualTo(FailureKind.EXIT_AUTH);
    assertThat(f.exitReached()).isTrue();
    assertThat(f.timedOut()).isFalse();
    assertNoSecret(f);
  }

  @Test
  void socks5MissingCredentialsIsExitAuthInTheHandshake() {
    ProbeOutcome.Failure f = failure(get(socksAuthWithout(), origin.url("/ip")));
    assertThat(f.stage()).isEqualTo(ProbeStage.HANDSHAKE);
    assertThat(f.kind()).isEqualTo(FailureKind.EXIT_AUTH);
    assertThat(f.message()).contains("no credentials");
  }

  @Test
  void socks5RefusedDestinationReportsTheReplyCode() throws IOException {
    int dead = deadPort();
    ProbeOutcome.Failure f =
        failure(get(socks(null, null), URI.create("http://127.0.0.1:" + dead + "/")));
    assertThat(f.stage()).isEqualTo(ProbeStage.TUNNEL);
    assertThat(f.kind()).isEqualTo(FailureKind.REFUSED);
    assertThat(f.upstreamReply()).isEqualTo(5);
    assertThat(f.exitReached()).isTrue();
  }

  @Test
  void deadSocks5ExitIsNotReached() throws IOException {
    int dead = deadPort();
    ProbeOutcome.Failure f =
        failure(
            get(
                new ExitRoute.Socks5Upstream("gone", "127.0.0.1", dead, USER, PASSWORD),
                origin.url("/ip")));
    assertThat(f.stage()).isEqualTo(ProbeStage.CONNECT);
    assertThat(f.kind()).isEqualTo(FailureKind.EXIT_UNREACHABLE);
    assertThat(f.exitReached()).isFalse();
    assertThat(f.message()).isEqualTo("connection refused by the SOCKS5 exit 127.0.0.1:" + dead);
    assertNoSecret(f);
  }

  @Test
  void unresolvableProxyHostFailsInResolve() {
    ProbeOutcome.Failure f =
        failure(
            get(
                new ExitRoute.Socks5Upstream("nx", "no-such-proxy.invalid", 1080, null, null),
                origin.url("/ip")));
    assertThat(f.stage()).isEqualTo(ProbeStage.RESOLVE);
    assertThat(f.kind()).isEqualTo(FailureKind.EXIT_UNREACHABLE);
    assertThat(f.exitReached()).isFalse();
  }

  @Test
  void silentSocks5ExitTimesOutInTheHandshakeAndTheConnectionIsClosed() throws Exception {
    try (RawPeer silent = new RawPeer(null, false, false)) {
      ProbeOutcome.Failure f =
          failure(
              get(
                  new ExitRoute.Socks5Upstream("mute", "127.0.0.1", silent.port(), null, null),
                  origin.url("/ip"),
                  Duration.ofMillis(700)));
      assertThat(f.stage()).isEqualTo(ProbeStage.HANDSHAKE);
      assertThat(f.timedOut()).isTrue();
      assertThat(f.exitReached()).isTrue();
      assertThat(f.kind()).isEqualTo(FailureKind.EXIT_UNREACHABLE);
      assertThat(f.latencyMillis()).isBetween(650L, 2500L);
      assertThat(silent.awaitClientClosed()).isTrue();
    }
  }

  @Test
  void notASocksServerFailsInTheHandshake() throws Exception {
    try (RawPeer web =
        new RawPeer(
            "HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(StandardCharsets.US_ASCII), false, true)) {
      ProbeOutcome.Failure f =
          failure(
              get(
                  new ExitRoute.Socks5Upstream("web", "127.0.0.1", web.port(), null, null),
                  origin.url("/ip")));
      assertThat(f.stage()).isEqualTo(ProbeStage.HANDSHAKE);
      assertThat(f.kind()).isEqualTo(FailureKind.EXIT_UNREACHABLE);
      assertThat(f.message()).contains("not a SOCKS5 server");
    }
  }

  // ---------------------------------------------------------------- HTTP CONNECT upstream (a
  // Sluice engine)

  @Test
  void httpUpstreamWithCredentialsGoesThroughTheExit() {
    httpUpstream.events.connects.clear();
    httpUpstream.policy.checked.clear();
    ProbeOutcome o = get(http(USER, PASSWORD), origin.url("/ip"));
    assertThat(response(o).body()).isEqualTo("127.0.0.1");
    assertThat(httpUpstream.events.connects).contains("http-connect:ok");
    assertThat(httpUpstream.policy.checked)
        .anySatisfy(a -> assertThat(a.getPort()).isEqualTo(origin.port()));
    assertNoSecret(o);
  }

  @Test
  void httpUpstreamWithoutCredentialsGoesThroughAnOpenListener() {
    httpUpstream.events.connects.clear();
    ExitRoute open =
        new ExitRoute.HttpUpstream("open", "127.0.0.1", httpUpstream.port("open"), null, null);
    assertThat(response(get(open, origin.url("/status/204"))).status()).isEqualTo(204);
    assertThat(httpUpstream.events.connects).contains("http-connect:ok");
  }

  @Test
  void httpUpstreamWrongPasswordIsExitAuthWithStatus407() {
    ProbeOutcome.Failure f = failure(get(http(USER, WRONG), origin.url("/ip")));
    assertThat(f.stage()).isEqualTo(ProbeStage.TUNNEL);
    assertThat(f.kind()).isEqualTo(FailureKind.EXIT_AUTH);
    assertThat(f.upstreamReply()).isEqualTo(407);
    assertThat(f.exitReached()).isTrue();
    assertNoSecret(f);
  }

  @Test
  void httpUpstreamRefusedDestinationReportsTheStatus() throws IOException {
    ProbeOutcome.Failure f =
        failure(get(http(USER, PASSWORD), URI.create("http://127.0.0.1:" + deadPort() + "/")));
    assertThat(f.stage()).isEqualTo(ProbeStage.TUNNEL);
    assertThat(f.upstreamReply()).isEqualTo(502);
    assertThat(f.kind()).isEqualTo(FailureKind.HOST_UNREACHABLE);
  }

  @Test
  void deadHttpExitIsNotReached() throws IOException {
    int dead = deadPort();
    ProbeOutcome.Failure f =
        failure(
            get(
                new ExitRoute.HttpUpstream("gone", "127.0.0.1", dead, USER, PASSWORD),
                origin.url("/ip")));
    assertThat(f.stage()).isEqualTo(ProbeStage.CONNECT);
    assertThat(f.exitReached()).isFalse();
    assertThat(f.message()).isEqualTo("connection refused by the HTTP exit 127.0.0.1:" + dead);
  }

  // ---------------------------------------------------------------- the engine's client,
  // concurrency

  @Test
  void theEnginesClientRunsOnItsEventLoops() throws Exception {
    ProbeClient engines = httpUpstream.engine.probeClient();
    // The origin answers only once the callback is attached, so the future cannot be complete
    // before thenApply: the callback must then run on the thread that completes it.
    java.util.concurrent.CountDownLatch attached = new java.util.concurrent.CountDownLatch(1);
    try (java.net.ServerSocket held =
        new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread answer =
          Thread.ofVirtual()
              .start(() -> {
                try (java.net.Socket s = held.accept()) {
                  attached.await(5, java.util.concurrent.TimeUnit.SECONDS);
                  s.getOutputStream()
                      .write(
                          ("HTTP/1.1 200 OK\r\nContent-Length: 9\r\nConnection: close\r\n\r\n"
                                  + "127.0.0.1")
                              .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                } catch (Exception e) {
                  // the assertions below report what went wrong
                }
              });
      Thread[] on = new Thread[1];
      java.util.concurrent.CompletableFuture<ProbeOutcome> f =
          engines
              .get(direct(), URI.create("http://127.0.0.1:" + held.getLocalPort() + "/ip"), T)
              .thenApply(x -> {
                on[0] = Thread.currentThread();
                return x;
              });
      attached.countDown();
      ProbeOutcome o = f.join();
      answer.join(5_000);
      assertThat(response(o).body()).isEqualTo("127.0.0.1");
      assertThat(on[0].getName()).startsWith("sluice-test");
    }
    engines.close(); // does not stop the engine
    assertThat(response(engines.get(direct(), origin.url("/ip"), T).join()).status())
        .isEqualTo(200);
  }

  @Test
  void manyProbesShareOneEventLoopThread() {
    // 40 probes of a 300 ms origin on the client's single event-loop thread: in parallel, not one
    // after another
    long t0 = System.nanoTime();
    List<CompletableFuture<ProbeOutcome>> all = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      all.add(client.get(direct(), origin.url("/slow"), Duration.ofSeconds(10)));
    }
    for (CompletableFuture<ProbeOutcome> f : all) {
      assertThat(response(f.join()).body()).isEqualTo("127.0.0.1");
    }
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(6000L);
  }

  @Test
  void aClosedStandaloneClientFailsProbesInsteadOfHanging() {
    ProbeClient c = ProbeClient.standalone(new DefaultThreadFactory("probe-closed", true));
    c.close();
    ProbeOutcome.Failure f =
        failure(c.get(direct(), origin.url("/ip"), T).orTimeout(5, TimeUnit.SECONDS).join());
    assertThat(f.message()).isEqualTo("event loop shut down");
  }
}
