package io.sluice.it;

import static io.sluice.it.Api.admin;
import static io.sluice.it.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Tunnel mapping definitions: port allocation (race-free), given ports, validation. */
class TunnelsIT {

  static int agent() {
    return admin().body(Map.of("name", Api.unique("ag"))).post("/api/v1/agents").path("agent.id");
  }

  @Test
  void allocateGivenAndConflict() {
    int agent = agent();
    Response a =
        admin()
            .body(Map.of("agentId", agent, "targetHost", "127.0.0.1", "targetPort", 3389))
            .post("/api/v1/tunnels");
    assertThat(a.statusCode()).as(a.asString()).isEqualTo(201);
    assertThat((Integer) a.path("publicPort")).isBetween(20000, 20999);

    int given = 20000 + (int) (System.nanoTime() % 500) + 400;
    Response b =
        admin()
            .body(
                Map.of(
                    "agentId",
                    agent,
                    "targetHost",
                    "db.internal",
                    "targetPort",
                    5432,
                    "publicPort",
                    given,
                    "allowedSources",
                    List.of("203.0.113.0/24"),
                    "maxConnections",
                    5))
            .post("/api/v1/tunnels");
    assertThat(b.statusCode()).as(b.asString()).isEqualTo(201);
    assertThat((Integer) b.path("publicPort")).isEqualTo(given);
    assertProblem(
        admin()
            .body(Map.of("agentId", agent, "targetHost", "x", "targetPort", 1, "publicPort", given))
            .post("/api/v1/tunnels"),
        409,
        "conflict");
    assertThat(Api.items(admin().queryParam("agentId", agent).get("/api/v1/tunnels"))).hasSize(2);
    assertThat(admin().delete("/api/v1/tunnels/" + b.path("id")).statusCode()).isEqualTo(204);
    assertProblem(admin().get("/api/v1/tunnels/" + b.path("id")), 404, "not-found");
  }

  @Test
  void concurrentAllocationsGetDistinctPorts() throws Exception {
    int agent = agent();
    ExecutorService pool = Executors.newFixedThreadPool(12);
    try {
      List<Callable<Integer>> calls = new ArrayList<>();
      for (int i = 0; i < 24; i++) {
        calls.add(() ->
            admin()
                .body(Map.of("agentId", agent, "targetHost", "127.0.0.1", "targetPort", 22))
                .post("/api/v1/tunnels")
                .path("publicPort"));
      }
      Set<Integer> ports = new HashSet<>();
      for (Future<Integer> f : pool.invokeAll(calls, 60, TimeUnit.SECONDS)) {
        ports.add(f.get());
      }
      assertThat(ports).hasSize(24).allMatch(p -> p >= 20000 && p <= 20999);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void badInput() {
    Response r =
        admin()
            .body(
                Map.of(
                    "agentId",
                    agent(),
                    "targetHost",
                    "bad host",
                    "targetPort",
                    0,
                    "publicPort",
                    80))
            .post("/api/v1/tunnels");
    assertProblem(r, 400, "validation");
    assertProblem(
        admin()
            .body(Map.of("agentId", 999999999, "targetHost", "h", "targetPort", 1))
            .post("/api/v1/tunnels"),
        404,
        "not-found");
  }

  @Test
  void anAgentsAllowedTargetsLimitItsMappings() {
    Response created =
        admin()
            .body(
                Map.of(
                    "name",
                    Api.unique("restricted"),
                    "allowedTargets",
                    List.of("127.0.0.1/32:3389")))
            .post("/api/v1/agents");
    int agentId = created.path("agent.id");
    Response ok =
        admin()
            .body(Map.of("agentId", agentId, "targetHost", "127.0.0.1", "targetPort", 3389))
            .post("/api/v1/tunnels");
    assertThat(ok.statusCode()).as(ok.asString()).isEqualTo(201);
    assertProblem(
        admin()
            .body(Map.of("agentId", agentId, "targetHost", "127.0.0.1", "targetPort", 22))
            .post("/api/v1/tunnels"),
        400,
        "validation");
    assertProblem(
        admin()
            .body(Map.of("agentId", agentId, "targetHost", "db.internal", "targetPort", 3389))
            .post("/api/v1/tunnels"),
        400,
        "validation");
  }
}
