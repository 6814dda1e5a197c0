package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.cli.ExitCodes;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code sluice} command against the running server, in this JVM with captured output: JSON
 * output parsed, exit codes checked on 404, 409 and a wrong password. The CLI logs in as an admin
 * of its own (created here, forced password change done by {@code sluice login}); objects get
 * unique names so reruns against one database do not collide.
 */
class CliIT {

  static final int SOCKS = Integer.getInteger("sluice.it.socks.port", 1080);
  static final String FIRST_PASSWORD = "Cli-First-Password-1";
  static final String PASSWORD = "Cli-Changed-Password-2";

  @TempDir static Path home;
  static String adminName;
  static CliRunner cli;

  @BeforeAll
  static void adminOfOurOwnLoggedInWithTheCli() throws IOException {
    adminName = Api.unique("cliadm");
    Api.admin()
        .body(Map.of("username", adminName, "password", FIRST_PASSWORD, "role", "admin"))
        .post("/api/v1/admins")
        .then()
        .statusCode(201);
    cli = new CliRunner(home);
    CliRunner.Run login =
        cli.runWithStdin(
            FIRST_PASSWORD + "\n" + PASSWORD + "\n", "login", "-u", adminName, "--password-stdin");
    assertThat(login.code()).as(login.toString()).isZero();
    assertThat(login.out()).contains("Logged in to " + Api.BASE + " as " + adminName + " (admin)");
  }

  static CliRunner.Run ok(String... args) {
    CliRunner.Run r = cli.run(args);
    assertThat(r.code()).as(String.join(" ", args) + "\n" + r).isZero();
    return r;
  }

  static JsonNode json(String... args) {
    List<String> all = new ArrayList<>(List.of("-o", "json"));
    all.addAll(List.of(args));
    return ok(all.toArray(String[]::new)).json();
  }

  static CliRunner.Run fails(int code, String... args) {
    CliRunner.Run r = cli.run(args);
    assertThat(r.code()).as(String.join(" ", args) + "\n" + r).isEqualTo(code);
    assertThat(r.err()).startsWith("error: ");
    return r;
  }

  @Test
  void loginKeepsTokensInA0600FileAndWhoamiUsesThem() throws IOException {
    Path file = home.resolve("sluice/credentials.json");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
        .isEqualTo("rwx------");
    JsonNode me = json("whoami");
    assertThat(me.get("username").asText()).isEqualTo(adminName);
    assertThat(me.get("role").asText()).isEqualTo("admin");
  }

  @Test
  void wrongPasswordExitsWith3AndTheProblemTitle(@TempDir Path other) throws IOException {
    try (CliRunner.FromAddress from = new CliRunner.FromAddress("127.0.0.21")) {
      CliRunner.Run r =
          new CliRunner(other)
              .runWithStdin(
                  "not-the-password\n",
                  "-s",
                  from.url(),
                  "login",
                  "-u",
                  adminName,
                  "--password-stdin");
      assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.UNAUTHORIZED);
      assertThat(r.err()).startsWith("error: ").contains("(HTTP 401, unauthorized)");
      assertThat(other.resolve("sluice/credentials.json")).doesNotExist();
    }
  }

  @Test
  void loginAsksForTheTotpCodeOrTakesIt(@TempDir Path own) throws Exception {
    String name = Api.unique("clitotp");
    Api.admin()
        .body(Map.of("username", name, "password", FIRST_PASSWORD, "role", "viewer"))
        .post("/api/v1/admins")
        .then()
        .statusCode(201);
    String restricted = Api.login(name, FIRST_PASSWORD).path("accessToken");
    String token =
        Api.as(restricted)
            .body(Map.of("currentPassword", FIRST_PASSWORD, "newPassword", PASSWORD))
            .post("/api/v1/auth/password")
            .path("accessToken");
    String secret = Api.as(token).post("/api/v1/auth/totp/enroll").path("secret");
    Api.as(token)
        .body(Map.of("code", TotpIT.code(secret)))
        .post("/api/v1/auth/totp/confirm")
        .then()
        .statusCode(200);

    CliRunner mine = new CliRunner(own);
    // without a terminal and without --totp: exit 3 and what to do (from another loopback
    // address, in case the server counts it for the lockout)
    try (CliRunner.FromAddress from = new CliRunner.FromAddress("127.0.0.22")) {
      CliRunner.Run r =
          mine.runWithStdin(
              PASSWORD + "\n", "-s", from.url(), "login", "-u", name, "--password-stdin");
      assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.UNAUTHORIZED);
      assertThat(r.err()).contains("needs a TOTP code: pass --totp CODE");
    }
    CliRunner.Run ok =
        mine.runWithStdin(
            PASSWORD + "\n",
            "login",
            "-u",
            name,
            "--password-stdin",
            "--totp",
            TotpIT.code(secret));
    assertThat(ok.code()).as(ok.toString()).isZero();
    assertThat(ok.out()).contains("as " + name + " (viewer)");
    JsonNode me = mine.run("-o", "json", "whoami").json();
    assertThat(me.get("role").asText()).isEqualTo("viewer");
    // a viewer may read but not create: 403 -> 4
    assertThat(mine.run("users", "create", Api.unique("nope")).code())
        .isEqualTo(ExitCodes.FORBIDDEN);
  }

  @Test
  void anExpiredAccessTokenIsRefreshedWithTheRefreshToken(@TempDir Path own) throws IOException {
    CliRunner mine = new CliRunner(own);
    assertThat(
            mine.runWithStdin(PASSWORD + "\n", "login", "-u", adminName, "--password-stdin").code())
        .isZero();
    Path file = own.resolve("sluice/credentials.json");
    JsonNode before = CliRunner.JSON.readTree(file.toFile());
    ((com.fasterxml.jackson.databind.node.ObjectNode) before).put("accessExpiresAt", 0);
    Files.writeString(file, before.toString());
    CliRunner.Run r = mine.run("-o", "json", "whoami");
    assertThat(r.code()).as(r.toString()).isZero();
    JsonNode after = CliRunner.JSON.readTree(file.toFile());
    assertThat(after.get("accessToken").asText()).isNotEqualTo(before.get("accessToken").asText());
    assertThat(after.get("refreshToken").asText())
        .isNotEqualTo(before.get("refreshToken").asText());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");

    // logout revokes the login on the server (no warning) and deletes the file. Presenting the
    // revoked refresh token again is not tried here: the server treats that as token theft and
    // raises a critical token-reuse alert, which other tests would see.
    CliRunner.Run logout = mine.run("logout");
    assertThat(logout.code()).as(logout.toString()).isZero();
    assertThat(logout.err()).isEmpty();
    assertThat(logout.out()).contains("Logged out of " + Api.BASE);
    assertThat(file).doesNotExist();
    assertThat(mine.run("whoami").code()).isEqualTo(ExitCodes.UNAUTHORIZED);
  }

  @Test
  void usersFromCreateToRm() {
    String name = Api.unique("cliu");
    JsonNode created =
        json("users", "create", name, "--max-connections", "7", "--note", "from the cli");
    long id = created.get("user").get("id").asLong();
    assertThat(created.get("password").asText()).hasSizeGreaterThan(11);
    assertThat(created.get("user").get("maxConnections").asInt()).isEqualTo(7);

    // 409: the name is taken
    CliRunner.Run dup = fails(ExitCodes.CONFLICT, "users", "create", name);
    assertThat(dup.err()).contains("(HTTP 409, conflict)");

    JsonNode list = json("users", "list", "--filter", name);
    assertThat(list).hasSize(1);
    assertThat(list.get(0).get("id").asLong()).isEqualTo(id);
    CliRunner.Run csv = ok("-o", "csv", "users", "list", "--filter", name);
    assertThat(csv.out().split("\r\n"))
        .containsExactly(
            "id,username,enabled,defaultPool,maxConnections,expiresAt,note",
            id + "," + name + ",true,,7,,from the cli");
    CliRunner.Run table = ok("users", "list", "--filter", name);
    assertThat(table.out()).startsWith("ID ").contains(" " + name + " ").contains("of 1");

    assertThat(json("users", "show", name).get("id").asLong()).isEqualTo(id);
    assertThat(json("users", "disable", String.valueOf(id)).get("enabled").asBoolean()).isFalse();
    assertThat(json("users", "enable", name).get("enabled").asBoolean()).isTrue();
    JsonNode env = json("users", "env", name);
    assertThat(env.get("HTTP_PROXY").asText()).contains(name);
    assertThat(ok("users", "env", name).out()).startsWith("export ").contains("HTTP_PROXY='");
    String rotated = json("users", "password", name).get("password").asText();
    assertThat(rotated).isNotEqualTo(created.get("password").asText());
    assertThat(json("users", "usage", name).get("userId").asLong()).isEqualTo(id);

    assertThat(ok("users", "rm", name).out()).contains("Deleted proxy user " + id);
    // 404: gone, by id and by name
    CliRunner.Run gone = fails(ExitCodes.NOT_FOUND, "users", "show", String.valueOf(id));
    assertThat(gone.err()).contains("(HTTP 404, not-found)");
    assertThat(fails(ExitCodes.NOT_FOUND, "users", "show", name).err())
        .contains("no proxy user named");
  }

  @Test
  void exitsPoolsAndAPoolInUse() {
    String exitName = Api.unique("cliexit");
    JsonNode exit = json("exits", "create", exitName, "--kind", "direct");
    long exitId = exit.get("id").asLong();
    assertThat(exit.get("kind").asText()).isEqualTo("direct");
    assertThat(json("exits", "show", String.valueOf(exitId)).get("name").asText())
        .isEqualTo(exitName);
    assertThat(json("exits", "disable", String.valueOf(exitId)).get("enabled").asBoolean())
        .isFalse();
    assertThat(json("exits", "enable", String.valueOf(exitId)).get("enabled").asBoolean()).isTrue();
    // a direct exit's check goes to Sluice's own IP echo over loopback
    JsonNode check = json("exits", "check", String.valueOf(exitId));
    assertThat(check.toString()).contains("healthy");

    String poolName = Api.unique("clipool");
    JsonNode pool =
        json(
            "pools",
            "create",
            poolName,
            "--strategy",
            "round-robin",
            "--exit",
            String.valueOf(exitId));
    long poolId = pool.get("id").asLong();
    assertThat(pool.get("exits").get(0).asLong()).isEqualTo(exitId);
    JsonNode pools = json("pools", "list");
    assertThat(pools.findValuesAsText("name")).contains(poolName);
    assertThat(json("pools", "show", String.valueOf(poolId)).get("strategy").asText())
        .isEqualTo("round-robin");
    JsonNode exitsOfPool = json("exits", "list", "--pool", poolName);
    assertThat(exitsOfPool.findValuesAsText("name")).containsExactly(exitName);

    // a user whose default pool it is: 409 pool-in-use, then --force
    String user = Api.unique("clipu");
    json("users", "create", user, "--pool", poolName);
    CliRunner.Run inUse = fails(ExitCodes.CONFLICT, "pools", "rm", String.valueOf(poolId));
    assertThat(inUse.err()).contains("pool-in-use").contains(user);
    ok("pools", "rm", String.valueOf(poolId), "--force");
    fails(ExitCodes.NOT_FOUND, "pools", "show", String.valueOf(poolId));
    ok("users", "rm", user);
    ok("exits", "rm", String.valueOf(exitId));
    fails(ExitCodes.NOT_FOUND, "exits", "rm", String.valueOf(exitId));
  }

  @Test
  void providers() {
    String name = Api.unique("cliprov");
    JsonNode p =
        json(
            "providers",
            "create",
            name,
            "--kind",
            "socks5",
            "--host",
            "127.0.0.1",
            "--ports",
            "20101-20102",
            "--country",
            "de");
    long id = p.get("id").asLong();
    assertThat(p.get("exits").asLong()).isEqualTo(2);
    assertThat(json("providers", "list").findValuesAsText("name")).contains(name);
    assertThat(json("providers", "show", String.valueOf(id)).get("portTo").asInt())
        .isEqualTo(20102);
    assertThat(json("exits", "list", "--provider", String.valueOf(id))).hasSize(2);
    assertThat(
            fails(
                    ExitCodes.CONFLICT,
                    "providers",
                    "create",
                    name,
                    "--kind",
                    "socks5",
                    "--host",
                    "127.0.0.1",
                    "--ports",
                    "20103")
                .code())
        .isEqualTo(ExitCodes.CONFLICT);
    ok("providers", "rm", String.valueOf(id));
    fails(ExitCodes.NOT_FOUND, "providers", "show", String.valueOf(id));
  }

  @Test
  void agentsAndTunnels() {
    String name = Api.unique("cliagent");
    JsonNode created = json("agents", "create", name, "--allow", "127.0.0.1/32:18000-18999");
    long agent = created.get("agent").get("id").asLong();
    assertThat(created.get("token").asText()).isNotBlank();
    assertThat(json("agents", "list").findValuesAsText("name")).contains(name);
    assertThat(json("agents", "show", String.valueOf(agent)).get("connected").asBoolean())
        .isFalse();
    assertThat(json("agents", "disable", String.valueOf(agent)).get("enabled").asBoolean())
        .isFalse();
    assertThat(json("agents", "enable", String.valueOf(agent)).get("enabled").asBoolean()).isTrue();
    assertThat(json("agents", "rotate-token", String.valueOf(agent)).get("token").asText())
        .isNotEqualTo(created.get("token").asText());
    // 409: nothing to disconnect
    fails(ExitCodes.CONFLICT, "agents", "disconnect", String.valueOf(agent));

    JsonNode tunnel =
        json("tunnels", "create", "--agent", String.valueOf(agent), "--target", "127.0.0.1:18080");
    long tunnelId = tunnel.get("id").asLong();
    assertThat(tunnel.get("publicPort").asInt()).isPositive();
    assertThat(json("tunnels", "list", "--agent", String.valueOf(agent))).hasSize(1);
    assertThat(json("tunnels", "show", String.valueOf(tunnelId)).get("targetPort").asInt())
        .isEqualTo(18080);
    JsonNode stats = json("tunnels", "stats", String.valueOf(tunnelId));
    assertThat(stats.get("agentConnected").asBoolean()).isFalse();
    assertThat(stats.get("totalConnections").asLong()).isZero();
    ok("tunnels", "rm", String.valueOf(tunnelId));
    fails(ExitCodes.NOT_FOUND, "tunnels", "show", String.valueOf(tunnelId));
    ok("agents", "rm", String.valueOf(agent));
    fails(ExitCodes.NOT_FOUND, "agents", "show", String.valueOf(agent));
  }

  @Test
  void aLiveSessionIsListedAndClosed() throws Exception {
    try (Fixtures fx = new Fixtures()) {
      String name = Api.unique("clisess");
      JsonNode created = json("users", "create", name, "--allow-destination", Fixtures.ALLOW_V4);
      long userId = created.get("user").get("id").asLong();
      String password = created.get("password").asText();
      try (Socket s = Socks5Client.connect(SOCKS, name, password, "127.0.0.1", fx.echoPort())) {
        s.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        assertThat(new String(s.getInputStream().readNBytes(4), StandardCharsets.US_ASCII))
            .isEqualTo("ping");
        JsonNode sessions = json("sessions", "list", "--user", String.valueOf(userId));
        assertThat(sessions).hasSize(1);
        assertThat(sessions.get(0).get("username").asText()).isEqualTo(name);
        String sid = sessions.get(0).get("id").asText();
        assertThat(ok("sessions", "list", "--user", String.valueOf(userId)).out()).contains(sid);
        ok("sessions", "close", sid);
        s.setSoTimeout(2000);
        InputStream in = s.getInputStream();
        assertThat(in.read()).as("the proxy closed the session").isEqualTo(-1);
        fails(ExitCodes.NOT_FOUND, "sessions", "close", sid);
      }
      ok("users", "rm", String.valueOf(userId));
    }
  }

  @Test
  void statsAndExports() {
    JsonNode stats = json("stats");
    assertThat(stats.isObject()).isTrue();
    assertThat(stats.size()).isPositive();
    assertThat(ok("stats").out()).isNotBlank();

    JsonNode export =
        json("exports", "create", "--scope", "users", "--format", "csv", "--ttl", "5");
    String id = export.get("id").asText();
    assertThat(export.get("url").asText()).contains("/export/");
    assertThat(json("exports", "list").findValuesAsText("id")).contains(id);
    ok("exports", "revoke", id);
    JsonNode revoked = null;
    for (JsonNode e : json("exports", "list")) {
      if (e.get("id").asText().equals(id)) {
        revoked = e;
      }
    }
    assertThat(revoked).isNotNull();
    assertThat(revoked.has("revokedAt")).isTrue();
    fails(ExitCodes.NOT_FOUND, "exports", "revoke", "no-such-export-id");
  }

  @Test
  void torVmsFirewallAndAlertsBasics() {
    assertThat(json("tor", "nodes").isArray()).isTrue();
    assertThat(json("vms", "list").isArray()).isTrue();
    fails(ExitCodes.NOT_FOUND, "vms", "show", "999999999");
    assertThat(json("firewall", "status").isObject()).isTrue();
    assertThat(ok("firewall", "ruleset", "--backend", "nftables").out()).isNotBlank();
    JsonNode alerts = json("alerts", "list");
    assertThat(alerts.has("firing")).isTrue();
    assertThat(ok("alerts", "list", "--history").out()).startsWith("ID ");
  }

  @Test
  void tokensFromTheEnvironmentOrTheOptionReplaceTheStoredLogin(@TempDir Path empty) {
    CliRunner noLogin = new CliRunner(empty);
    assertThat(noLogin.run("users", "list").code()).isEqualTo(ExitCodes.UNAUTHORIZED);
    // an access token in SLUICE_TOKEN
    String token = Api.adminToken();
    CliRunner.Run viaEnv = noLogin.with("SLUICE_TOKEN", token).run("-o", "json", "users", "list");
    assertThat(viaEnv.code()).as(viaEnv.toString()).isZero();
    assertThat(viaEnv.json().isArray()).isTrue();
    // an orchestrator API key with --token: stats allowed, users forbidden (403 -> 4)
    String key =
        Api.admin()
            .body(Map.of("name", Api.unique("clikey"), "role", "orchestrator"))
            .post("/api/v1/api-keys")
            .then()
            .statusCode(201)
            .extract()
            .path("token");
    assertThat(noLogin.run("--token", key, "-o", "json", "stats").code()).isZero();
    CliRunner.Run forbidden = noLogin.run("--token", key, "users", "list");
    assertThat(forbidden.code()).as(forbidden.toString()).isEqualTo(ExitCodes.FORBIDDEN);
    assertThat(forbidden.err()).contains("(HTTP 403, forbidden)");
    // a garbage token: 401 -> 3
    assertThat(noLogin.run("--token", "not-a-jwt", "users", "list").code())
        .isEqualTo(ExitCodes.UNAUTHORIZED);
  }

  @Test
  void adminsAndApiKeys() {
    String name = Api.unique("cliview");
    CliRunner.Run created =
        cli.runWithStdin(
            FIRST_PASSWORD + "\n", "-o", "json", "admins", "create", name, "--password-stdin");
    assertThat(created.code()).as(created.toString()).isZero();
    JsonNode admin = created.json();
    long id = admin.get("id").asLong();
    assertThat(admin.get("role").asText()).isEqualTo("viewer");
    assertThat(admin.get("passwordChangeRequired").asBoolean()).isTrue();
    assertThat(json("admins", "list").findValuesAsText("username")).contains(name, adminName);
    assertThat(json("admins", "disable", String.valueOf(id)).get("enabled").asBoolean()).isFalse();
    assertThat(json("admins", "enable", String.valueOf(id)).get("enabled").asBoolean()).isTrue();
    assertThat(
            cli.runWithStdin(FIRST_PASSWORD + "\n", "admins", "create", name, "--password-stdin")
                .code())
        .isEqualTo(ExitCodes.CONFLICT);
    fails(ExitCodes.NOT_FOUND, "admins", "enable", "999999999");

    JsonNode key = json("api-keys", "create", Api.unique("clikey"));
    long keyId = key.get("key").get("id").asLong();
    String token = key.get("token").asText();
    assertThat(json("api-keys", "list").findValuesAsText("id")).contains(String.valueOf(keyId));
    assertThat(cli.run("--token", token, "-o", "json", "stats").code()).isZero();
    ok("api-keys", "revoke", String.valueOf(keyId));
    assertThat(cli.run("--token", token, "stats").code()).isEqualTo(ExitCodes.UNAUTHORIZED);
  }

  @Test
  void validationErrorsNameTheField() {
    CliRunner.Run r =
        fails(
            ExitCodes.INVALID,
            "exits",
            "create",
            Api.unique("badexit"),
            "--kind",
            "socks5",
            "--host",
            "127.0.0.1",
            "--port",
            "70000");
    assertThat(r.err()).contains("(HTTP 400, validation)").contains("  port: ");
  }
}
