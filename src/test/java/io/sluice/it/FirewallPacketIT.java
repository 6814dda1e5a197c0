package io.sluice.it;

import static io.restassured.RestAssured.given;
import static io.sluice.it.Commands.must;
import static io.sluice.it.Commands.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The host firewall with real packets, in network namespaces this test creates and deletes (the
 * root namespace's firewall and routing are never touched):
 *
 * <pre>
 *   vm1 (10.77.0.2) --+
 *                     +-- br0 10.77.0.1 [gw] wan 172.31.250.1 + .11 ---- [internet] 172.31.250.2
 *   vm2 (10.77.0.3) --+        Sluice (ExtraServer), microsocks A (-b .1) and B (-b .11)    IP echo
 * </pre>
 *
 * A second Sluice server runs inside "gw" with its own embedded database, applies its rules there
 * and runs the transparent listener; the test reaches its admin API through a socat bridge from the
 * root namespace's loopback into gw's loopback. Each VM's plain {@code curl} to the echo server
 * must come out of its user's exit; a deleted VM's traffic must stop; a DNAT forward must reach a
 * server in vm1; {@code nft flush ruleset} in gw must be repaired by the reconcile; a failing
 * {@code nft} must leave the loaded rules in place.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FirewallPacketIT {

  static final String ID = Long.toString(ProcessHandle.current().pid() % 100_000, 36);
  static final String GW = "sfw-gw-" + ID;
  static final String VM1 = "sfw-vm1-" + ID;
  static final String VM2 = "sfw-vm2-" + ID;
  static final String NET = "sfw-net-" + ID;
  static final String EXIT_A = "172.31.250.1";
  static final String EXIT_B = "172.31.250.11";
  static final String ECHO = "172.31.250.2";
  static final int ECHO_PORT = 8080;
  static final int HTTP_PORT = 19080 + (int) (ProcessHandle.current().pid() % 500);

  static final List<Process> processes = new ArrayList<>();
  static final List<String> namespaces = new ArrayList<>();
  static ExtraServer gw;
  static Path wrapperDir;
  static String token;
  static long vm1;
  static long vm2;

  @BeforeAll
  static void setUp() throws Exception {
    boolean root = "0".equals(output("id", "-u").trim());
    assumeTrue(root, "the packet test needs root (network namespaces, nftables)");
    for (String[] p :
        List.of(
            new String[] {"nft", "nftables"},
            new String[] {"curl", "curl"},
            new String[] {"microsocks", "microsocks"},
            new String[] {"socat", "socat"},
            new String[] {"ip", "iproute2"})) {
      OutsidePrograms.require(p[0], p[1]);
    }
    assumeTrue(
        run("ip", "netns", "add", GW) == 0,
        "cannot create network namespaces here (ip netns add failed)");
    namespaces.add(GW);
    assumeTrue(
        run("ip", "netns", "exec", GW, "nft", "-c", "-f", "/dev/null") == 0
            || run("ip", "netns", "exec", GW, "nft", "list", "tables") == 0,
        "the kernel has no nf_tables");
    for (String ns : List.of(VM1, VM2, NET)) {
      must("ip", "netns", "add", ns);
      namespaces.add(ns);
    }
    for (String ns : namespaces) {
      must("ip", "-n", ns, "link", "set", "lo", "up");
    }
    must("ip", "-n", GW, "link", "add", "br0", "type", "bridge");
    must("ip", "-n", GW, "addr", "add", "10.77.0.1/24", "dev", "br0");
    must("ip", "-n", GW, "link", "set", "br0", "up");
    vmLink(VM1, "v1", "10.77.0.2");
    vmLink(VM2, "v2", "10.77.0.3");
    must(
        "ip", "-n", GW, "link", "add", "wan", "type", "veth", "peer", "name", "eth0", "netns", NET);
    must("ip", "-n", GW, "addr", "add", EXIT_A + "/24", "dev", "wan");
    must("ip", "-n", GW, "addr", "add", EXIT_B + "/24", "dev", "wan");
    must("ip", "-n", GW, "link", "set", "wan", "up");
    must("ip", "-n", NET, "addr", "add", ECHO + "/24", "dev", "eth0");
    must("ip", "-n", NET, "link", "set", "eth0", "up");

    start(
        "ip",
        "netns",
        "exec",
        NET,
        "/usr/bin/python3",
        "-c",
        "import http.server as h\n"
            + "class E(h.BaseHTTPRequestHandler):\n"
            + "  def do_GET(self):\n"
            + "    b=self.client_address[0].encode()\n"
            + "    self.send_response(200);self.send_header('Content-Length',str(len(b)))\n"
            + "    self.end_headers();self.wfile.write(b)\n"
            + "  def log_message(self,*a): pass\n"
            + "h.HTTPServer(('"
            + ECHO
            + "',"
            + ECHO_PORT
            + "),E).serve_forever()\n");
    start("ip", "netns", "exec", GW, "microsocks", "-i", "127.0.0.1", "-p", "11081", "-b", EXIT_A);
    start("ip", "netns", "exec", GW, "microsocks", "-i", "127.0.0.1", "-p", "11082", "-b", EXIT_B);
    start(
        "ip",
        "netns",
        "exec",
        VM1,
        "/usr/bin/python3",
        "-m",
        "http.server",
        "8000",
        "--bind",
        "10.77.0.2");
    // the admin API of the server in gw, reachable from here on the same port of 127.0.0.1
    start(
        "socat",
        "TCP-LISTEN:" + HTTP_PORT + ",bind=127.0.0.1,reuseaddr,fork",
        "EXEC:ip netns exec " + GW + " socat STDIO TCP\\:127.0.0.1\\:" + HTTP_PORT);

    // nft as the server sees it: the real one, unless the test makes it fail
    wrapperDir = Files.createTempDirectory("sfw-bin");
    Path nft = wrapperDir.resolve("nft");
    Files.writeString(
        nft,
        "#!/bin/sh\n"
            + "if [ -e "
            + wrapperDir.resolve("broken")
            + " ] && [ \"$1\" != list ]; then\n"
            + "  echo 'simulated nft failure' >&2; exit 1\n"
            + "fi\n"
            + "exec "
            + which("nft")
            + " \"$@\"\n");
    nft.toFile().setExecutable(true);

    gw =
        ExtraServer.named("fw-gw")
            .embeddedDatabase()
            .netns(GW)
            .env("HTTP_PORT", String.valueOf(HTTP_PORT))
            .env("HTTPS_PORT", String.valueOf(HTTP_PORT + 1))
            .env("SLUICE_ADMIN_PASSWORD", "Fw-Initial-Password-2026!")
            .env("SLUICE_FIREWALL_APPLY", "true")
            .env("SLUICE_FIREWALL_BACKEND", "nftables")
            .env("SLUICE_FIREWALL_TRANSPARENT_PORT", "15001")
            .env("SLUICE_FIREWALL_RECONCILE_SECONDS", "2")
            .env("SLUICE_FIREWALL_EGRESS_INTERFACE", "wan")
            .env("SLUICE_ALLOW_DESTINATIONS", "172.31.250.0/24:*")
            .env("SLUICE_EXITS_MONITOR_ENABLED", "false")
            .env("PATH", wrapperDir + ":" + System.getenv("PATH"))
            .start(Duration.ofSeconds(120));
    token = login();
  }

  @AfterAll
  static void tearDown() throws Exception {
    if (gw != null) {
      gw.stop();
    }
    for (Process p : processes) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
    for (String ns : namespaces) {
      run("ip", "netns", "del", ns);
    }
    if (wrapperDir != null) {
      Files.deleteIfExists(wrapperDir.resolve("broken"));
      Files.deleteIfExists(wrapperDir.resolve("nft"));
      Files.deleteIfExists(wrapperDir);
    }
  }

  @Test
  @Order(1)
  void eachVmLeavesThroughItsUsersExit() throws Exception {
    int exitA = id(api().body(exit("exA", 11081)).post("/api/v1/exits"));
    int exitB = id(api().body(exit("exB", 11082)).post("/api/v1/exits"));
    api()
        .body(Map.of("name", "pa", "strategy", "round-robin", "exits", List.of(exitA)))
        .post("/api/v1/pools")
        .then()
        .statusCode(201);
    api()
        .body(Map.of("name", "pb", "strategy", "round-robin", "exits", List.of(exitB)))
        .post("/api/v1/pools")
        .then()
        .statusCode(201);
    int alice = user("alice", "pa");
    int bob = user("bob", "pb");
    api()
        .body(
            Map.of(
                "name",
                "lab",
                "family",
                4,
                "prefixes",
                List.of("10.77.0.0/24"),
                "reuseHoldSeconds",
                0))
        .post("/api/v1/address-pools")
        .then()
        .statusCode(201);
    Response r1 = api().body(Map.of("userId", alice, "type", "cli")).post("/api/v1/vms");
    assertThat(r1.statusCode()).as(r1.asString()).isEqualTo(201);
    assertThat(r1.<String>path("ipv4")).isEqualTo("10.77.0.2");
    vm1 = ((Number) r1.path("id")).longValue();
    Response r2 = api().body(Map.of("userId", bob, "type", "cli")).post("/api/v1/vms");
    assertThat(r2.<String>path("ipv4")).isEqualTo("10.77.0.3");
    vm2 = ((Number) r2.path("id")).longValue();
    Response init = api().body("{}").post("/api/v1/firewall/init");
    assertThat(init.statusCode()).as(init.asString()).isEqualTo(200);
    awaitApplied();

    assertThat(curl(VM1)).isEqualTo(EXIT_A);
    assertThat(curl(VM2)).isEqualTo(EXIT_B);
    String rules = output("ip", "netns", "exec", GW, "nft", "list", "table", "inet", "sluice");
    assertThat(rules).contains("10.77.0.2").contains("redirect to :15001");
  }

  @Test
  @Order(2)
  void aForwardReachesAServerInTheVm() throws Exception {
    Response f =
        api()
            .body(Map.of("publicPort", 8022, "vmPort", 8000, "protocol", "tcp"))
            .post("/api/v1/vms/" + vm1 + "/forwards");
    assertThat(f.statusCode()).as(f.asString()).isEqualTo(201);
    awaitApplied();
    String code =
        output(
            "ip",
            "netns",
            "exec",
            NET,
            "curl",
            "-s",
            "-o",
            "/dev/null",
            "-w",
            "%{http_code}",
            "--max-time",
            "5",
            "http://" + EXIT_A + ":8022/");
    assertThat(code).isEqualTo("200");
  }

  @Test
  @Order(3)
  void driftAfterFlushRulesetIsRepaired() throws Exception {
    long repairs = ((Number) api().get("/api/v1/firewall/status").path("repairs")).longValue();
    must("ip", "netns", "exec", GW, "nft", "flush", "ruleset");
    assertThat(run("ip", "netns", "exec", GW, "nft", "list", "table", "inet", "sluice"))
        .isNotZero();
    await(
        Duration.ofSeconds(30),
        () ->
            ((Number) api().get("/api/v1/firewall/status").path("repairs")).longValue() > repairs);
    assertThat(curl(VM1)).isEqualTo(EXIT_A);
  }

  @Test
  @Order(4)
  void aFailedApplyKeepsTheLoadedRules() throws Exception {
    String before = output("ip", "netns", "exec", GW, "nft", "list", "table", "inet", "sluice");
    Files.writeString(wrapperDir.resolve("broken"), "1");
    try {
      Response r = api().post("/api/v1/firewall/apply");
      assertThat(r.statusCode()).as(r.asString()).isEqualTo(422);
      assertThat(r.asString()).contains("simulated nft failure");
      assertThat(output("ip", "netns", "exec", GW, "nft", "list", "table", "inet", "sluice"))
          .isEqualTo(before);
      assertThat(curl(VM2)).isEqualTo(EXIT_B);
      assertThat(api().get("/api/v1/firewall/status").<String>path("lastError"))
          .contains("simulated nft failure");
      // The alerts feature turns the failure into a firing firewall-apply-failed alert ...
      assertThat(api().get("/api/v1/alerts").<List<String>>path("firing.rule"))
          .contains("firewall-apply-failed");
    } finally {
      Files.deleteIfExists(wrapperDir.resolve("broken"));
    }
    // ... resolved by the next load that succeeds.
    api().post("/api/v1/firewall/apply").then().statusCode(200);
    assertThat(api().get("/api/v1/alerts").<List<String>>path("firing.rule"))
        .doesNotContain("firewall-apply-failed");
    assertThat(api().get("/api/v1/alerts").<List<String>>path("history.rule"))
        .contains("firewall-apply-failed");
  }

  @Test
  @Order(5)
  void aDeletedVmsTrafficNoLongerPasses() throws Exception {
    api().delete("/api/v1/vms/" + vm1).then().statusCode(204);
    await(
        Duration.ofSeconds(30),
        () -> {
          try {
            return !output("ip", "netns", "exec", GW, "nft", "list", "set", "inet", "sluice", "vm4")
                .contains("10.77.0.2");
          } catch (Exception e) {
            return false;
          }
        });
    int rc =
        run(
            "ip",
            "netns",
            "exec",
            VM1,
            "curl",
            "-s",
            "--max-time",
            "3",
            "http://" + ECHO + ":" + ECHO_PORT + "/");
    assertThat(rc).as("curl exit code from the deleted VM").isNotZero();
    assertThat(curl(VM2)).isEqualTo(EXIT_B);
  }

  // --- helpers ---

  static void vmLink(String ns, String host, String address) throws Exception {
    must("ip", "-n", GW, "link", "add", host, "type", "veth", "peer", "name", "eth0", "netns", ns);
    must("ip", "-n", GW, "link", "set", host, "master", "br0", "up");
    must("ip", "-n", ns, "addr", "add", address + "/24", "dev", "eth0");
    must("ip", "-n", ns, "link", "set", "eth0", "up");
    must("ip", "-n", ns, "route", "add", "default", "via", "10.77.0.1");
  }

  static String curl(String ns) throws Exception {
    return output(
            "ip",
            "netns",
            "exec",
            ns,
            "curl",
            "-s",
            "--max-time",
            "10",
            "http://" + ECHO + ":" + ECHO_PORT + "/")
        .trim();
  }

  static void awaitApplied() throws Exception {
    await(
        Duration.ofSeconds(30),
        () -> {
          Response s = api().get("/api/v1/firewall/status");
          String desired = s.path("desiredTag");
          return desired != null
              && desired.equals(s.path("appliedTag"))
              && desired.equals(s.path("loadedTag"));
        });
  }

  static void await(Duration max, BooleanSupplier done) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (System.nanoTime() < deadline) {
      if (done.getAsBoolean()) {
        return;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("not reached within " + max);
  }

  static Map<String, Object> exit(String name, int port) {
    return Map.of("name", name, "kind", "socks5", "host", "127.0.0.1", "port", port);
  }

  static int user(String name, String pool) {
    Response r = api().body(Map.of("username", name, "defaultPool", pool)).post("/api/v1/users");
    assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
    return r.path("user.id");
  }

  static int id(Response r) {
    assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
    return r.path("id");
  }

  static RequestSpecification api() {
    return given()
        .baseUri(gw.baseUrl())
        .contentType(ContentType.JSON)
        .header("Authorization", "Bearer " + token);
  }

  static String login() {
    RequestSpecification anon = given().baseUri(gw.baseUrl()).contentType(ContentType.JSON);
    Response first =
        anon.body(Map.of("username", "admin", "password", "Fw-Initial-Password-2026!"))
            .post("/api/v1/auth/login");
    assertThat(first.statusCode()).as(first.asString()).isEqualTo(200);
    String restricted = first.path("accessToken");
    Response changed =
        given()
            .baseUri(gw.baseUrl())
            .contentType(ContentType.JSON)
            .header("Authorization", "Bearer " + restricted)
            .body(
                Map.of(
                    "currentPassword",
                    "Fw-Initial-Password-2026!",
                    "newPassword",
                    Api.ADMIN_PASSWORD))
            .post("/api/v1/auth/password");
    assertThat(changed.statusCode()).as(changed.asString()).isEqualTo(200);
    return changed.path("accessToken");
  }

  static void start(String... cmd) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    processes.add(p);
    Thread.sleep(300);
    if (!p.isAlive()) {
      throw new IllegalStateException(String.join(" ", cmd) + " exited with " + p.exitValue());
    }
  }

  static String output(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
    }
    return out;
  }

  static String which(String program) throws Exception {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(dir, program))) {
        return Path.of(dir, program).toString();
      }
    }
    throw new IllegalStateException(program + " not found");
  }
}
