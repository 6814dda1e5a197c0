package io.sluice.it;

import static io.sluice.it.Api.admin;
import static io.sluice.it.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.response.Response;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * The firewall API on the build's server, where applying is off (the default): forwards are stored
 * and validated, the ruleset shows VMs and forwards, status says applying is off, and apply, flush
 * and init are refused. Real packets: {@link FirewallPacketIT}.
 */
class FirewallIT {

  @Test
  void forwardsAndTheRenderedRuleset() {
    int user = VmsIT.user();
    String pool = VmsIT.pool();
    Response vm =
        admin().body(Map.of("userId", user, "type", "cli", "pool", pool)).post("/api/v1/vms");
    assertThat(vm.statusCode()).as(vm.asString()).isEqualTo(201);
    int id = vm.path("id");
    String address = vm.path("ipv4");
    int publicPort = ThreadLocalRandom.current().nextInt(50_000, 60_000);

    Response f =
        admin()
            .body(Map.of("publicPort", publicPort, "vmPort", 22))
            .post("/api/v1/vms/" + id + "/forwards");
    assertThat(f.statusCode()).as(f.asString()).isEqualTo(201);
    assertThat(f.header("Location")).endsWith("/forwards/" + f.path("id"));
    assertThat((String) f.path("protocol")).isEqualTo("tcp");
    assertThat((String) f.path("vmAddress")).isEqualTo(address);

    assertProblem(
        admin()
            .body(Map.of("publicPort", publicPort, "vmPort", 23))
            .post("/api/v1/vms/" + id + "/forwards"),
        409,
        "conflict");
    assertProblem(
        admin()
            .body(Map.of("publicPort", 40010, "vmPort", 23))
            .post("/api/v1/vms/" + id + "/forwards"),
        409,
        "conflict");
    assertProblem(
        admin()
            .body(Map.of("publicPort", 1, "vmPort", 23, "protocol", "sctp"))
            .post("/api/v1/vms/" + id + "/forwards"),
        400,
        "validation");
    assertProblem(
        admin().body(Map.of("publicPort", 2, "vmPort", 3)).post("/api/v1/vms/999999999/forwards"),
        404,
        "not-found");

    String nft = admin().accept("text/plain").get("/api/v1/firewall/ruleset").asString();
    assertThat(nft)
        .contains("table inet sluice")
        .contains(address)
        .contains("tcp . " + publicPort + " : " + address + " . 22");
    String ipt =
        admin().accept("text/plain").get("/api/v1/firewall/ruleset?backend=iptables").asString();
    assertThat(ipt)
        .contains("--dport " + publicPort + " -j DNAT --to-destination " + address + ":22");
    assertProblem(
        admin()
            .accept("text/plain, application/problem+json")
            .get("/api/v1/firewall/ruleset?backend=pf"),
        400,
        "validation");

    Response status = admin().get("/api/v1/firewall/status");
    assertThat(status.statusCode()).isEqualTo(200);
    assertThat((Boolean) status.path("applyEnabled")).isFalse();
    assertProblem(admin().post("/api/v1/firewall/apply"), 409, "conflict");
    assertProblem(admin().post("/api/v1/firewall/flush"), 409, "conflict");
    assertProblem(admin().body("{}").post("/api/v1/firewall/init"), 409, "conflict");

    assertThat(admin().get("/api/v1/vms/" + id + "/forwards").jsonPath().getList("items"))
        .hasSize(1);
    admin().delete("/api/v1/vms/" + id + "/forwards/" + f.path("id")).then().statusCode(204);
    // the forward went, and goes with its VM anyway
    admin().delete("/api/v1/vms/" + id).then().statusCode(204);
    assertThat(admin().accept("text/plain").get("/api/v1/firewall/ruleset").asString())
        .doesNotContain(address + " . 22");
  }
}
