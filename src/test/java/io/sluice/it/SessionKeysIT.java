package io.sluice.it;

import static io.sluice.it.Api.admin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.restassured.response.Response;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Session keys pin the exit in a round-robin pool (three microsocks exits, each binding its
 * outgoing connections to its own loopback address), and move when their exit dies.
 */
class SessionKeysIT {

  static final int SOCKS = ProxyIT.SOCKS;
  static final String[] SOURCES = {"127.0.0.2", "127.0.0.3", "127.0.0.4"};
  static Fixtures fx;
  static final Map<String, Process> upstreamBySource = new HashMap<>();
  static final Map<String, Integer> exitBySource = new HashMap<>();
  static String pool;

  @BeforeAll
  static void setUp() throws Exception {
    OutsidePrograms.require("microsocks", "microsocks");
    OutsidePrograms.require("curl", "curl");
    fx = new Fixtures();
    List<Integer> exits = new ArrayList<>();
    for (String source : SOURCES) {
      int port = Fixtures.freePort();
      upstreamBySource.put(
          source,
          new ProcessBuilder(
                  "microsocks", "-i", "127.0.0.1", "-p", String.valueOf(port), "-b", source)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start());
      ExitRoutingIT.waitListening(port);
      int id =
          ExitRoutingIT.createExit(
              Map.of(
                  "name", Api.unique("sk"), "kind", "socks5", "host", "127.0.0.1", "port", port));
      exitBySource.put(source, id);
      exits.add(id);
    }
    pool = ExitRoutingIT.createPool(exits); // round-robin
  }

  @AfterAll
  static void tearDown() throws IOException {
    upstreamBySource.values().forEach(Process::destroyForcibly);
    if (fx != null) {
      fx.close();
    }
  }

  static String sourceVia(String username, String password) throws Exception {
    String out = ExitRoutingIT.ipVia(SOCKS, fx.httpPort(), username, password);
    return out.replace("{\"ip\":\"", "").replace("\"}", "");
  }

  @Test
  void sessionKeysStickInARoundRobinPoolAndMoveWhenTheirExitDies() throws Exception {
    String[] u = ExitRoutingIT.user(pool);

    // without a key the pool rotates
    Set<String> rotating = new HashSet<>();
    for (int i = 0; i < 6; i++) {
      rotating.add(sourceVia(u[0], u[1]));
    }
    assertThat(rotating).containsExactlyInAnyOrder(SOURCES);

    // each key keeps the exit the strategy gave it first
    Map<String, String> sourceByKey = new HashMap<>();
    for (String key : List.of("k1", "k2", "k3")) {
      sourceByKey.put(key, sourceVia(u[0] + "-session-" + key, u[1]));
    }
    assertThat(new HashSet<>(sourceByKey.values())).containsExactlyInAnyOrder(SOURCES);
    for (int round = 0; round < 3; round++) {
      for (String key : List.of("k1", "k2", "k3")) {
        assertThat(sourceVia(u[0] + "-session-" + key, u[1]))
            .as("key %s, round %d", key, round)
            .isEqualTo(sourceByKey.get(key));
      }
    }

    // kill k1's exit and mark it unhealthy: k1 moves, and keeps its new exit
    String dead = sourceByKey.get("k1");
    int deadExit = exitBySource.get(dead);
    upstreamBySource.get(dead).destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    admin()
        .body(Map.of("state", "unhealthy"))
        .patch("/api/v1/exits/" + deadExit)
        .then()
        .statusCode(200);
    String moved = sourceVia(u[0] + "-session-k1", u[1]);
    assertThat(moved).isIn((Object[]) SOURCES).isNotEqualTo(dead);
    for (int i = 0; i < 3; i++) {
      assertThat(sourceVia(u[0] + "-session-k1", u[1])).isEqualTo(moved);
    }
    // the other keys did not move
    for (String key : List.of("k2", "k3")) {
      assertThat(sourceVia(u[0] + "-session-" + key, u[1])).isEqualTo(sourceByKey.get(key));
    }

    // the session table records the move
    await()
        .atMost(10, TimeUnit.SECONDS)
        .untilAsserted(() -> {
          Response keys = admin().queryParam("userId", u[2]).get("/api/v1/sessions/keys");
          assertThat(keys.statusCode()).isEqualTo(200);
          List<Map<String, Object>> items = keys.path("items");
          Map<String, Object> k1 =
              items.stream()
                  .filter(e -> "k1".equals(e.get("sessionKey")))
                  .findFirst()
                  .orElseThrow();
          assertThat(k1.get("pool")).isEqualTo(pool);
          assertThat(((Number) k1.get("moves")).intValue()).isEqualTo(1);
          assertThat(((Number) k1.get("previousExitId")).intValue()).isEqualTo(deadExit);
          assertThat(((Number) k1.get("exitId")).intValue()).isEqualTo(exitBySource.get(moved));
          // unhealthy once the snapshot has the new state; connect-failed if a connection
          // reached the dead exit first
          assertThat(k1.get("lastMoveReason")).isIn("unhealthy", "connect-failed");
          assertThat(k1.get("exitName")).isNotNull();
        });
  }

  @Test
  void liveSessionsShowTheirExitIdNameAndSessionKey() throws Exception {
    String[] u = ExitRoutingIT.user(pool);
    // a SOCKS5 session to the echo fixture, held open until the assertions are done
    try (java.net.Socket held =
        Socks5Client.connect(SOCKS, u[0] + "-session-live", u[1], "127.0.0.1", fx.echoPort())) {
      await()
          .atMost(15, TimeUnit.SECONDS)
          .untilAsserted(() -> {
            List<Map<String, Object>> items =
                admin().queryParam("userId", u[2]).get("/api/v1/sessions").path("items");
            assertThat(items).isNotEmpty();
            Map<String, Object> s = items.get(0);
            assertThat(s.get("sessionKey")).isEqualTo("live");
            assertThat(s.get("pool")).isEqualTo(pool);
            assertThat(s.get("exitId")).isNotNull();
            assertThat(s.get("exitName")).isEqualTo(s.get("exit"));
          });
      assertThat(held.isConnected()).isTrue();
    }
  }
}
