package io.sluice.it;

import static io.sluice.it.Api.admin;
import static io.sluice.it.Api.anon;
import static io.sluice.it.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.response.Response;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The console's server side without a browser: the root redirect, the static page under its CSP,
 * the refresh cookie (HttpOnly, Secure, SameSite=Strict, scoped to the refresh path) with its CSRF
 * checks, and the event stream by role.
 */
class ConsoleApiIT {

  static final String REFRESH_PATH = "/api/v1/auth/refresh";

  /** A new account with its first password already changed: {name, password}. */
  static String[] account(String role) {
    String name = Api.unique("capi");
    admin()
        .body(Map.of("username", name, "password", "Console-Api-First-1", "role", role))
        .post("/api/v1/admins")
        .then()
        .statusCode(201);
    String restricted = Api.login(name, "Console-Api-First-1").path("accessToken");
    Api.as(restricted)
        .body(
            Map.of("currentPassword", "Console-Api-First-1", "newPassword", "Console-Api-Second-2"))
        .post("/api/v1/auth/password")
        .then()
        .statusCode(200);
    return new String[] {name, "Console-Api-Second-2"};
  }

  static Response cookieLogin(String[] a) {
    return anon()
        .header("X-Sluice-Refresh", "cookie")
        .body(Map.of("username", a[0], "password", a[1]))
        .post("/api/v1/auth/login");
  }

  @Test
  void theRootRedirectsToTheConsoleWhichServesItsPageUnderAStrictPolicy() {
    Response root = anon().redirects().follow(false).get("/");
    assertThat(root.statusCode()).isEqualTo(302);
    assertThat(root.header("Location")).endsWith("/console/");
    Response page = anon().accept("text/html").get("/console/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.asString()).contains("<script type=\"module\" src=\"js/main.js\">");
    String csp = page.header("Content-Security-Policy");
    assertThat(csp)
        .contains("script-src 'self'")
        .contains("style-src 'self'")
        .contains("require-trusted-types-for 'script'")
        .contains("frame-ancestors 'none'")
        .doesNotContain("unsafe-inline")
        .doesNotContain("unsafe-eval");
    assertThat(anon().accept("*/*").get("/console/js/main.js").contentType())
        .contains("javascript");
    assertThat(
            anon().accept("*/*").get("/webjars/picocss__pico/2.1.1/css/pico.min.css").statusCode())
        .isEqualTo(200);
    // The API keeps its own, stricter policy.
    assertThat(anon().get("/api/v1/ip").header("Content-Security-Policy"))
        .startsWith("default-src 'none'")
        .doesNotContain("script-src");
  }

  @Test
  void inCookieModeTheRefreshTokenIsAnHttpOnlyCookieOnTheRefreshPathOnly() {
    String[] a = account("viewer");
    Response login = cookieLogin(a);
    assertThat(login.statusCode()).as(login.asString()).isEqualTo(200);
    assertThat((String) login.path("refreshToken")).isNull();
    assertThat((String) login.path("accessToken")).isNotBlank();
    String setCookie = login.header("Set-Cookie");
    assertThat(setCookie)
        .startsWith("sluice_refresh=")
        .contains("Path=" + REFRESH_PATH)
        .contains("HttpOnly")
        .contains("Secure")
        .contains("SameSite=Strict");
    String cookie = login.cookie("sluice_refresh");

    // Without the header the cookie alone is not accepted (CSRF): the body token is required.
    assertProblem(
        anon().cookie("sluice_refresh", cookie).body(Map.of()).post(REFRESH_PATH),
        400,
        "validation");
    // A foreign Origin is refused.
    assertProblem(
        anon()
            .header("X-Sluice-Refresh", "cookie")
            .header("Origin", "https://evil.example")
            .cookie("sluice_refresh", cookie)
            .body(Map.of())
            .post(REFRESH_PATH),
        403,
        "forbidden");
    // The browser's call: header, same origin, cookie.
    Response r =
        anon()
            .header("X-Sluice-Refresh", "cookie")
            .header("Origin", Api.BASE)
            .cookie("sluice_refresh", cookie)
            .body(Map.of())
            .post(REFRESH_PATH);
    assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
    assertThat((String) r.path("refreshToken")).isNull();
    String next = r.cookie("sluice_refresh");
    assertThat(next).isNotBlank().isNotEqualTo(cookie);
    // No cookie at all: 401.
    assertProblem(
        anon().header("X-Sluice-Refresh", "cookie").body(Map.of()).post(REFRESH_PATH),
        401,
        "unauthorized");

    // Logout: DELETE on the refresh path revokes and clears the cookie.
    assertProblem(anon().cookie("sluice_refresh", next).delete(REFRESH_PATH), 403, "forbidden");
    Response out =
        anon()
            .header("X-Sluice-Refresh", "cookie")
            .cookie("sluice_refresh", next)
            .delete(REFRESH_PATH);
    assertThat(out.statusCode()).isEqualTo(204);
    assertThat(out.header("Set-Cookie")).contains("Max-Age=0");
    assertProblem(
        anon()
            .header("X-Sluice-Refresh", "cookie")
            .cookie("sluice_refresh", next)
            .body(Map.of())
            .post(REFRESH_PATH),
        401,
        "unauthorized");
    // API clients that do not ask for the cookie still get the token in the body.
    assertThat((String) Api.login(a[0], a[1]).path("refreshToken")).isNotBlank();
  }

  @Test
  void theEventStreamNeedsATokenAndSendsSecurityEventsToAdminsOnly() throws Exception {
    assertProblem(anon().accept("text/event-stream").get("/api/v1/events"), 401, "unauthorized");
    String viewer = Api.login(account("viewer")[0], "Console-Api-Second-2").path("accessToken");
    HttpClient http = HttpClient.newHttpClient();
    try (Stream<String> viewerLines = open(http, viewer);
        Stream<String> adminLines = open(http, Api.adminToken())) {
      Iterator<String> v = viewerLines.iterator();
      Iterator<String> ad = adminLines.iterator();
      List<String> first = read(v, "\"sessions\"", 10);
      assertThat(first).contains("event: hello").anyMatch(l -> l.contains("\"role\":\"viewer\""));
      assertThat(first).anyMatch(l -> l.startsWith("data:") && l.contains("\"sessions\""));
      read(ad, "\"sessions\"", 10);
      // A failed login is a security event: the admin's stream gets it, the viewer's does not.
      Api.login("nobody_" + System.nanoTime(), "wrong-password-here");
      List<String> adminSeen = read(ad, "auth.failure", 10);
      assertThat(adminSeen).anyMatch(l -> l.contains("auth.failure"));
      List<String> viewerSeen = read(v, "event: stats", 10);
      viewerSeen.addAll(read(v, "event: stats", 10));
      assertThat(viewerSeen).noneMatch(l -> l.contains("event: security"));
    }
  }

  static Stream<String> open(HttpClient http, String token) throws Exception {
    HttpRequest req =
        HttpRequest.newBuilder(URI.create(Api.BASE + "/api/v1/events"))
            .header("Authorization", "Bearer " + token)
            .header("Accept", "text/event-stream")
            .timeout(Duration.ofSeconds(30))
            .build();
    HttpResponse<Stream<String>> r =
        http.sendAsync(req, HttpResponse.BodyHandlers.ofLines()).get(10, TimeUnit.SECONDS);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
    return r.body();
  }

  /** Lines until one contains {@code until}, within {@code seconds}. */
  static List<String> read(Iterator<String> lines, String until, int seconds) throws Exception {
    List<String> seen = new ArrayList<>();
    CompletableFuture<Void> f =
        CompletableFuture.runAsync(() -> {
          while (lines.hasNext()) {
            String l = lines.next();
            synchronized (seen) {
              seen.add(l);
            }
            if (l.contains(until)) {
              return;
            }
          }
        });
    f.get(seconds, TimeUnit.SECONDS);
    synchronized (seen) {
      return new ArrayList<>(seen);
    }
  }
}
