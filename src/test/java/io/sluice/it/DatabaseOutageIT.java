package io.sluice.it;

import static io.sluice.it.Api.admin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import io.restassured.response.Response;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 11, items 1 and 2, against the build's server on PostgreSQL: PostgreSQL is stopped with
 * {@code pg_ctlcluster ... stop -m immediate} while a user streams through SOCKS5, and the test
 * checks what an operator would see: the stream keeps flowing, a known user opens a new session, an
 * unknown one is refused within 1 s, the API answers 503 with a problem document within 2 s,
 * readiness goes DOWN within 5 s while liveness stays UP, and after the restart everything is back
 * by itself and the usage counted during the outage is complete. Timings are printed for the issue
 * note. Runs only where the build's database is a local PostgreSQL cluster this user may stop (CI
 * runs as root); elsewhere it is skipped with the reason.
 */
class DatabaseOutageIT {

  private static final int SOCKS = Integer.getInteger("sluice.it.socks.port", 1080);
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private static Fixtures fx;
  private static String cluster;

  @BeforeAll
  static void setUp() throws IOException {
    String url = System.getenv().getOrDefault("DB_URL", "");
    assumeThat(url.startsWith("jdbc:postgresql://127.0.0.1") || url.contains("//localhost"))
        .as("needs the build's database on a local PostgreSQL (DB_URL=%s)", url)
        .isTrue();
    assumeThat(OutsidePrograms.onPath("pg_ctlcluster"))
        .as("pg_ctlcluster (postgresql-common) is not installed")
        .isTrue();
    assumeThat(System.getProperty("user.name"))
        .as("stopping PostgreSQL needs root")
        .isEqualTo("root");
    try (var versions = Files.list(Path.of("/etc/postgresql"))) {
      cluster =
          versions.map(p -> p.getFileName().toString()).sorted().reduce((a, b) -> b).orElse(null);
    }
    assumeThat(cluster).as("no cluster under /etc/postgresql").isNotNull();
    fx = new Fixtures();
    Api.adminToken();
  }

  @AfterAll
  static void tearDown() throws Exception {
    if (cluster != null) {
      pg("start"); // whatever happened, the database is back for the tests after this one
      awaitReady(Duration.ofSeconds(60));
    }
    if (fx != null) {
      fx.close();
    }
  }

  @Test
  void theDataPlaneSurvivesAndTheApiFailsFast() throws Exception {
    String known = Api.unique("dbout");
    Response created =
        admin()
            .body(Map.of("username", known, "allowedDestinations", List.of(Fixtures.ALLOW_V4)))
            .post("/api/v1/users");
    assertThat(created.statusCode()).as(created.asString()).isEqualTo(201);
    int userId = created.path("user.id");
    String pw = created.path("password");
    long usageBefore = bytesUp(userId);

    // Seen once before the outage (as a user who uses the proxy is).
    try (Socket s = Socks5Client.connect(SOCKS, known, pw, "127.0.0.1", fx.echoPort())) {
      echo(s, "warm-up");
    }

    Stream stream = new Stream(Socks5Client.connect(SOCKS, known, pw, "127.0.0.1", fx.echoPort()));
    Thread streamer = new Thread(stream, "outage-stream");
    streamer.start();
    await().atMost(5, TimeUnit.SECONDS).until(() -> stream.echoed.get() > 100_000);
    // Past the authentication cache's TTL, so the next login must do without the database.
    Thread.sleep(5_500);

    long stopAt = System.nanoTime();
    pg("stop", "-m", "immediate");
    try {
      long echoedAtStop = stream.echoed.get();

      // Readiness DOWN within 5 s of the stop; liveness stays UP.
      await()
          .atMost(10, TimeUnit.SECONDS)
          .pollInterval(Duration.ofMillis(200))
          .until(() -> get("/health/ready", false).statusCode() == 503);
      long readyDownMs = ms(stopAt);
      assertThat(readyDownMs).as("readiness DOWN after the stop").isLessThan(5_000);
      assertThat(get("/health/live", false).statusCode()).isEqualTo(200);

      // An unknown user: refused within 1 s with the username/password failure (not left hanging).
      long t = System.nanoTime();
      try (Socket s = new Socket("127.0.0.1", SOCKS)) {
        s.setSoTimeout(5_000);
        int rep = Socks5Client.handshake(s, "nobody_" + known, "x", "127.0.0.1", fx.echoPort());
        assertThat(rep).as("unknown user refused at the password step").isEqualTo(-1);
      }
      long unknownMs = ms(t);
      assertThat(unknownMs).as("unknown user refused within 1 s").isLessThan(1_000);

      // The known user opens a new session and it carries data.
      t = System.nanoTime();
      try (Socket s = Socks5Client.connect(SOCKS, known, pw, "127.0.0.1", fx.echoPort())) {
        echo(s, "during the outage");
      }
      long knownMs = ms(t);
      assertThat(knownMs).as("known user's new session").isLessThan(2_000);

      // The API: 503 with a problem document within 2 s.
      t = System.nanoTime();
      HttpResponse<String> users = get("/api/v1/users", true);
      long apiMs = ms(t);
      assertThat(users.statusCode()).as(users.body()).isEqualTo(503);
      assertThat(users.headers().firstValue("Content-Type").orElse(""))
          .startsWith("application/problem+json");
      assertThat(users.body()).contains("database-unavailable").doesNotContain("Exception");
      assertThat(apiMs).as("API answer during the outage").isLessThan(2_000);

      // The readiness document and the metric say the data plane is stale.
      assertThat(get("/health/live", false).statusCode()).isEqualTo(200);
      assertThat(get("/health/ready", false).body()).contains("\"dataPlane\":\"stale\"");
      await().atMost(5, TimeUnit.SECONDS).until(() -> staleSecondsMetric() > 0);

      // The established stream kept flowing through all of it.
      await().atMost(5, TimeUnit.SECONDS).until(() -> stream.echoed.get() > echoedAtStop + 100_000);
      assertThat(stream.error.get()).isNull();
      // An outage of at least 10 s, as an operator restarting the database would cause; the
      // known user keeps getting new sessions all along.
      while (ms(stopAt) < 10_000) {
        Thread.sleep(2_000);
        try (Socket s = Socks5Client.connect(SOCKS, known, pw, "127.0.0.1", fx.echoPort())) {
          echo(s, "still down");
        }
      }
      long outageMs = ms(stopAt);

      pg("start");
      long startAt = System.nanoTime();
      awaitReady(Duration.ofSeconds(30));
      long recoveryMs = ms(startAt);
      Response after = admin().get("/api/v1/users?size=1");
      assertThat(after.statusCode()).as(after.asString()).isEqualTo(200);
      assertThat(get("/health/ready", false).body()).contains("\"dataPlane\":\"fresh\"");

      stream.stop();
      streamer.join(10_000);
      assertThat(stream.error.get()).isNull();
      long streamed = stream.sent.get();
      // Everything counted while the database was down reaches it (usage flush every 10 s).
      await()
          .atMost(40, TimeUnit.SECONDS)
          .pollInterval(Duration.ofSeconds(1))
          .untilAsserted(
              () -> assertThat(bytesUp(userId) - usageBefore).isGreaterThanOrEqualTo(streamed));
      System.out.printf(
          "DatabaseOutageIT timings: unknown user refused in %d ms, known user's new session in %d"
              + " ms, API 503 in %d ms, readiness DOWN %d ms after the stop, outage %d ms, ready"
              + " again %d ms after PostgreSQL started, %d bytes streamed through the outage%n",
          unknownMs, knownMs, apiMs, readyDownMs, outageMs, recoveryMs, streamed);
    } finally {
      stream.stop();
      pg("start");
    }
  }

  private static long bytesUp(int userId) {
    Response u = admin().get("/api/v1/users/" + userId + "/usage");
    assertThat(u.statusCode()).as(u.asString()).isEqualTo(200);
    return ((Number) u.path("bytesUp")).longValue();
  }

  private static double staleSecondsMetric() throws Exception {
    String body = get("/metrics", false).body();
    for (String line : body.split("\n")) {
      if (line.startsWith("sluice_proxy_stale_seconds")) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return -1;
  }

  private static HttpResponse<String> get(String path, boolean asAdmin) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(Api.BASE + path)).timeout(Duration.ofSeconds(10));
    if (asAdmin) {
      b.header("Authorization", "Bearer " + Api.adminToken());
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void awaitReady(Duration d) {
    await()
        .atMost(d)
        .pollInterval(Duration.ofMillis(250))
        .ignoreExceptions()
        .until(() -> get("/health/ready", false).statusCode() == 200);
  }

  private static long ms(long since) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
  }

  private static void pg(String... action) throws IOException, InterruptedException {
    List<String> cmd =
        new java.util.ArrayList<>(
            List.of("pg_ctlcluster", "--skip-systemctl-redirect", cluster, "main"));
    cmd.addAll(List.of(action));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("pg_ctlcluster " + String.join(" ", action) + " did not finish");
    }
    // "start" on a running cluster exits 2 ("already running"): fine for the clean-up.
    if (p.exitValue() != 0 && !out.contains("already running")) {
      throw new IOException("pg_ctlcluster " + String.join(" ", action) + ": " + out);
    }
  }

  private static void echo(Socket s, String text) throws IOException {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    s.getOutputStream().write(b);
    s.getOutputStream().flush();
    byte[] back = new byte[b.length];
    new DataInputStream(s.getInputStream()).readFully(back);
    assertThat(new String(back, StandardCharsets.UTF_8)).isEqualTo(text);
  }

  /** Writes 16 KiB every 20 ms through the tunnel and reads the echo back, until stopped. */
  private static final class Stream implements Runnable {
    final Socket socket;
    final AtomicLong sent = new AtomicLong();
    final AtomicLong echoed = new AtomicLong();
    final AtomicReference<Throwable> error = new AtomicReference<>();
    final AtomicBoolean running = new AtomicBoolean(true);

    Stream(Socket socket) {
      this.socket = socket;
    }

    @Override
    public void run() {
      byte[] chunk = new byte[16 * 1024];
      byte[] back = new byte[chunk.length];
      try (socket;
          OutputStream out = socket.getOutputStream();
          InputStream in = socket.getInputStream()) {
        socket.setSoTimeout(10_000);
        while (running.get()) {
          out.write(chunk);
          out.flush();
          sent.addAndGet(chunk.length);
          new DataInputStream(in).readFully(back);
          echoed.addAndGet(back.length);
          Thread.sleep(20);
        }
      } catch (IOException e) {
        error.set(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    void stop() {
      running.set(false);
    }
  }
}
