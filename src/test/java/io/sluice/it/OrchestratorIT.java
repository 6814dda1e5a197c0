package io.sluice.it;

import static io.sluice.it.Api.admin;
import static io.sluice.it.Api.as;
import static io.sluice.it.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * The VM orchestrator's way in: an API key with the {@code orchestrator} role creates and deletes
 * 500 VMs in a row (far above the 60 calls a minute an interactive token gets) without a 429, every
 * VM with its own address and the user's one dedicated port, and is refused user administration.
 * The time the 500 creations took is printed, not asserted (speed is for benchmarks).
 */
class OrchestratorIT {

  static final int VMS = 500;

  /** A /23 (509 usable addresses) in 172.16.0.0/12, which no other test uses. */
  static String pool() {
    String name = Api.unique("orchpool");
    Response r = null;
    for (int attempt = 0; attempt < 10; attempt++) {
      ThreadLocalRandom rnd = ThreadLocalRandom.current();
      String prefix = "172." + rnd.nextInt(16, 32) + "." + 2 * rnd.nextInt(128) + ".0/23";
      r =
          admin()
              .body(Map.of("name", name, "family", 4, "prefixes", List.of(prefix)))
              .post("/api/v1/address-pools");
      if (r.statusCode() == 201) {
        return name;
      }
    }
    throw new AssertionError("could not create an address pool: " + r.asString());
  }

  @Test
  void aKeyCreatesFiveHundredVmsWithoutA429AndIsRefusedUserAdmin() {
    Response u = admin().body(Map.of("username", Api.unique("orchuser"))).post("/api/v1/users");
    assertThat(u.statusCode()).as(u.asString()).isEqualTo(201);
    int user = u.path("user.id");
    String pool = pool();
    Response k =
        admin()
            .body(Map.of("name", Api.unique("orch500"), "role", "orchestrator"))
            .post("/api/v1/api-keys");
    assertThat(k.statusCode()).as(k.asString()).isEqualTo(201);
    String token = k.path("token");

    List<Integer> ids = new ArrayList<>();
    Set<String> addresses = new HashSet<>();
    Set<Integer> ports = new HashSet<>();
    long start = System.nanoTime();
    for (int i = 0; i < VMS; i++) {
      Response vm =
          as(token)
              .body(Map.of("userId", user, "type", i % 2 == 0 ? "cli" : "browser", "pool", pool))
              .post("/api/v1/vms");
      assertThat(vm.statusCode()).as("VM %d: %s", i, vm.asString()).isEqualTo(201);
      ids.add(vm.path("id"));
      addresses.add(vm.path("ipv4"));
      ports.add(vm.path("dedicatedPort"));
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    System.out.printf("OrchestratorIT: %d VMs created with one API key in %d ms%n", VMS, millis);
    assertThat(addresses).hasSize(VMS);
    assertThat(ports).hasSize(1);

    assertProblem(as(token).get("/api/v1/users"), 403, "forbidden");
    assertProblem(as(token).delete("/api/v1/users/" + user), 403, "forbidden");
    assertProblem(as(token).get("/api/v1/address-pools"), 403, "forbidden");

    for (int id : ids) {
      as(token).delete("/api/v1/vms/" + id).then().statusCode(204);
    }
    admin().delete("/api/v1/users/" + user).then().statusCode(204);
  }
}
