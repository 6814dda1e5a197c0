package io.sluice.it;

import static io.sluice.it.Api.admin;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.response.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Upstream sessions: an exit with an upstream username template sends, per connection, the template
 * rendered with the username's routing; the fixture upstream records what it received.
 */
class UpstreamSessionIT {

  static final int SOCKS = ProxyIT.SOCKS;
  static final String UPSTREAM_PASSWORD = "upstream-Secret-7";
  static Fixtures fx;
  static UpstreamSocks5Fixture upstream;
  static int exitId;
  static String pool;

  @BeforeAll
  static void setUp() throws Exception {
    OutsidePrograms.require("curl", "curl");
    fx = new Fixtures();
    upstream = new UpstreamSocks5Fixture(UPSTREAM_PASSWORD);
    exitId =
        ExitRoutingIT.createExit(
            Map.of(
                "name", Api.unique("tpl"),
                "kind", "socks5",
                "host", "127.0.0.1",
                "port", upstream.port(),
                "username", "acct42",
                "password", UPSTREAM_PASSWORD,
                "country", "de",
                "upstreamUsernameTemplate", "acct42-session-{session}-country-{country}"));
    pool = ExitRoutingIT.createPool(List.of(exitId));
  }

  @AfterAll
  static void tearDown() throws IOException {
    if (upstream != null) {
      upstream.close();
    }
    if (fx != null) {
      fx.close();
    }
  }

  static String viaUpstream(String username, String password) throws Exception {
    ProxyIT.Result r =
        ProxyIT.run(
            "curl",
            "-sS",
            "--max-time",
            "15",
            "-x",
            "socks5h://" + username + ":" + password + "@127.0.0.1:" + SOCKS,
            "http://127.0.0.1:" + fx.httpPort() + "/ip");
    return r.out();
  }

  @Test
  void theExitShowsItsTemplateButNeverItsPassword() {
    Response r = admin().get("/api/v1/exits/" + exitId);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat((String) r.path("upstreamUsernameTemplate"))
        .isEqualTo("acct42-session-{session}-country-{country}");
    assertThat(r.asString()).doesNotContain(UPSTREAM_PASSWORD);
  }

  @Test
  void theSessionKeyAndCountryReachTheUpstream() throws Exception {
    String[] u = ExitRoutingIT.user(pool);
    upstream.clear();
    assertThat(viaUpstream(u[0] + "-session-abc-country-de", u[1]))
        .isEqualTo("{\"ip\":\"127.0.0.1\"}");
    assertThat(upstream.lastUsername()).isEqualTo("acct42-session-abc-country-de");
  }

  @Test
  void withoutASessionItsPartIsLeftOut() throws Exception {
    String[] u = ExitRoutingIT.user(pool);
    upstream.clear();
    assertThat(viaUpstream(u[0] + "-country-de", u[1])).isEqualTo("{\"ip\":\"127.0.0.1\"}");
    assertThat(upstream.lastUsername()).isEqualTo("acct42-country-de");
  }

  @Test
  void withNeitherOnlyTheAccountIsSent() throws Exception {
    String[] u = ExitRoutingIT.user(pool);
    upstream.clear();
    assertThat(viaUpstream(u[0], u[1])).isEqualTo("{\"ip\":\"127.0.0.1\"}");
    assertThat(upstream.lastUsername()).isEqualTo("acct42");
  }

  @Test
  void aBadTemplateIsRefusedWithAFieldError() {
    Map<String, Object> body = new HashMap<>();
    body.put("upstreamUsernameTemplate", "acct42-{sess}");
    Response r = admin().body(body).patch("/api/v1/exits/" + exitId);
    assertThat(r.statusCode()).as(r.asString()).isEqualTo(400);
    assertThat(r.asString()).contains("upstreamUsernameTemplate");
  }

  @Test
  void renderedUsernamesAndThePasswordStayOutOfTheLog() throws Exception {
    String[] u = ExitRoutingIT.user(pool);
    viaUpstream(u[0] + "-session-logcheck-country-de", u[1]);
    Path log =
        Path.of(
            System.getProperty(
                "sluice.it.server.log", "target/liberty/wlp/usr/servers/sluice/logs/messages.log"));
    String text = Files.readString(log);
    assertThat(text).doesNotContain(UPSTREAM_PASSWORD);
    assertThat(text).doesNotContain("acct42-session-logcheck");
  }
}
