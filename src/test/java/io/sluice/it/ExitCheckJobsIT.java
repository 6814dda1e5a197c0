package io.sluice.it;

import static io.sluice.it.Api.admin;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.restassured.response.Response;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A check job over 1,000 direct exits whose check URL is a local IP echo: 202 with a job, progress
 * polled until done, counts that add up, results in the summary shape; the synchronous summary with
 * {@code wait=true}. Not a performance test: the elapsed time is only printed.
 */
class ExitCheckJobsIT {

  static final int EXITS = 1000;
  static final long DEADLINE_MS = 120_000;

  static HttpServer echo;
  static ExecutorService echoThreads;
  static final AtomicInteger echoed = new AtomicInteger();
  static final List<Integer> exitIds = new ArrayList<>();
  static String pool;
  static String smallPool;
  static final List<Integer> poolIds = new ArrayList<>();

  @BeforeAll
  static void setUp() throws IOException {
    echo = HttpServer.create(new InetSocketAddress("127.0.0.1", Fixtures.freePort()), 200);
    echoThreads = Executors.newFixedThreadPool(8);
    echo.setExecutor(echoThreads);
    echo.createContext(
        "/ip",
        ex -> {
          byte[] body = "{\"ip\":\"127.0.0.1\"}".getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().add("Content-Type", "application/json");
          ex.sendResponseHeaders(200, body.length);
          try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
          }
          echoed.incrementAndGet();
        });
    echo.start();
    String checkUrl = "http://127.0.0.1:" + echo.getAddress().getPort() + "/ip";
    String prefix = Api.unique("cj");
    for (int i = 0; i < EXITS; i++) {
      Response r =
          admin()
              .body(Map.of("name", prefix + "-" + i, "kind", "direct", "checkUrl", checkUrl))
              .post("/api/v1/exits");
      assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
      exitIds.add(r.path("id"));
    }
    pool = pool(exitIds);
    smallPool = pool(exitIds.subList(0, 5));
  }

  static String pool(List<Integer> members) {
    String name = Api.unique("cjp").toLowerCase();
    Response r =
        admin()
            .body(Map.of("name", name, "strategy", "round-robin", "exits", members))
            .post("/api/v1/pools");
    assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
    poolIds.add(r.path("id"));
    return name;
  }

  @AfterAll
  static void tearDown() {
    for (int p : poolIds) {
      admin().delete("/api/v1/pools/" + p);
    }
    for (int id : exitIds) {
      admin().delete("/api/v1/exits/" + id);
    }
    if (echo != null) {
      echo.stop(0);
      echoThreads.shutdownNow();
    }
  }

  @Test
  void aJobOverAThousandExitsReportsProgressAndEndsDone() throws InterruptedException {
    long start = System.nanoTime();
    Response started = admin().queryParam("pool", pool).post("/api/v1/exits/check");
    assertThat(started.statusCode()).as(started.asString()).isEqualTo(202);
    int id = started.path("id");
    assertThat(started.header("Location")).endsWith("/api/v1/exits/checks/" + id);
    assertThat((Integer) started.path("total")).isEqualTo(EXITS);
    assertThat((String) started.path("state")).isEqualTo("running");

    Response progress;
    int polls = 0;
    int lastDone = -1;
    while (true) {
      progress = admin().queryParam("results", false).get(started.header("Location"));
      assertThat(progress.statusCode()).as(progress.asString()).isEqualTo(200);
      int done = progress.path("done");
      int healthy = progress.path("healthy");
      int failing = progress.path("failing");
      assertThat(healthy + failing).isEqualTo(done);
      assertThat(done).isBetween(Math.max(lastDone, 0), EXITS); // progress never goes back
      lastDone = done;
      polls++;
      if (!"running".equals(progress.path("state"))) {
        break;
      }
      assertThat((System.nanoTime() - start) / 1_000_000)
          .as("job still running after %d ms: %s", DEADLINE_MS, progress.asString())
          .isLessThan(DEADLINE_MS);
      Thread.sleep(500);
    }
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;
    System.out.printf(
        "ExitCheckJobsIT: %d exits checked in %d ms (%d polls, %d echo requests)%n",
        EXITS, elapsedMs, polls, echoed.get());

    Response done = admin().get("/api/v1/exits/checks/" + id);
    assertThat(done.statusCode()).isEqualTo(200);
    assertThat((String) done.path("state")).as(done.asString()).isEqualTo("done");
    int total = done.path("total");
    int count = done.path("done");
    int healthy = done.path("healthy");
    int failing = done.path("failing");
    int unhealthy = done.path("unhealthy");
    assertThat(total).isEqualTo(EXITS);
    assertThat(count).isEqualTo(total);
    assertThat(healthy + failing).isEqualTo(total);
    assertThat(unhealthy).isEqualTo(failing);
    assertThat((String) done.path("finishedAt")).isNotNull();
    List<Map<String, Object>> results = done.path("results");
    assertThat(results).hasSize(EXITS);
    assertThat(results.stream().map(r -> ((Number) r.get("exitId")).intValue()))
        .containsExactlyInAnyOrderElementsOf(exitIds);
    assertThat(results.stream().filter(r -> Boolean.TRUE.equals(r.get("healthy"))))
        .hasSize(healthy)
        .allSatisfy(r -> {
          assertThat(r.get("actualIp")).isEqualTo("127.0.0.1");
          assertThat(r).containsKeys("name", "latencyMs", "slow");
        });

    Response list = admin().get("/api/v1/exits/checks");
    assertThat(Api.items(list).stream().map(j -> ((Number) j.get("id")).intValue())).contains(id);

    Response exit = admin().get("/api/v1/exits/" + exitIds.get(0));
    assertThat((Integer) exit.path("latency.lastMs")).isNotNull();
    assertThat(exit.path("latency.ewmaMs") != null).isTrue();
    assertThat((Integer) exit.path("latency.p50Ms")).isNotNull();
    assertThat((Integer) exit.path("latency.p95Ms")).isNotNull();
    assertThat((Boolean) exit.path("slow")).isFalse();
  }

  @Test
  void waitTrueKeepsTheSynchronousSummary() {
    Response r =
        admin().queryParam("pool", smallPool).queryParam("wait", true).post("/api/v1/exits/check");
    assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
    assertThat((Integer) r.path("total")).isEqualTo(5);
    assertThat((Integer) r.path("healthy") + (Integer) r.path("unhealthy")).isEqualTo(5);
    assertThat((List<?>) r.path("results")).hasSize(5);
  }

  @Test
  void anUnknownJobIs404AndABadStateFilter400() {
    assertThat(admin().get("/api/v1/exits/checks/999999999").statusCode()).isEqualTo(404);
    assertThat(admin().queryParam("state", "bogus").post("/api/v1/exits/check").statusCode())
        .isEqualTo(400);
  }
}
