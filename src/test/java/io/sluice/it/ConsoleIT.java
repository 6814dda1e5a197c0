package io.sluice.it;

import static io.sluice.it.Api.admin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.restassured.response.Response;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;

/**
 * The operator console in a real browser (headless Chromium) against the server the build started:
 * first sign-in with the forced password change, TOTP enrolment and a sign-in with a computed code,
 * a proxy user whose password is shown once, exits and a pool checked as a job, the whitelist
 * lock-out warning, the audit log, and a live session closed from the sessions page. The steps run
 * in order on one browser; every page is screenshotted under target/console-screenshots, and
 * console errors or CSP violations fail the step.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleIT {

  static Browser browser;
  static Fixtures fx;
  static String adminName;
  static final String FIRST_PASSWORD = "Console-First-Password-1";
  static final String PASSWORD = "Console-Changed-Password-2";
  static String totpSecret;
  static String proxyUser;
  static String proxyPassword;

  @RegisterExtension
  static final TestWatcher SHOOT_ON_FAILURE =
      new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
          if (browser != null) {
            browser.screenshot("FAILED-" + context.getRequiredTestMethod().getName());
          }
        }
      };

  @BeforeAll
  static void start() throws Exception {
    browser = Browser.start();
    fx = new Fixtures();
    // A new admin of its own: the bootstrap admin's state belongs to the other ITs.
    adminName = Api.unique("console");
    Response r =
        admin()
            .body(Map.of("username", adminName, "password", FIRST_PASSWORD, "role", "admin"))
            .post("/api/v1/admins");
    assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
  }

  @AfterAll
  static void stop() throws Exception {
    if (browser != null) {
      browser.close();
    }
    if (fx != null) {
      fx.close();
    }
  }

  @Test
  @Order(1)
  void firstSignInForcesAPasswordChangeAndTheHeaderShowsBothAddresses() {
    browser.open("/");
    assertThat(browser.driver.getCurrentUrl()).contains("/console/");
    browser.waitFor(By.cssSelector("form[name='signin']"));
    browser.screenshot("signin");
    browser.type("signin", "username", adminName);
    browser.type("signin", "password", FIRST_PASSWORD);
    browser.submit("signin");
    browser.waitFor(By.cssSelector("form[name='change-password']"));
    browser.type("change-password", "currentPassword", FIRST_PASSWORD);
    browser.type("change-password", "newPassword", PASSWORD);
    browser.type("change-password", "repeat", PASSWORD);
    browser.submit("change-password");
    browser.waitFor(By.cssSelector("main[data-ready='overview']"));
    browser.waitForText(By.id("caller-address"), "127.0.0.1");
    assertThat(browser.text(By.id("server-address"))).contains("127.0.0.1:" + Api.HTTP_PORT);
    assertThat(browser.text(By.id("who"))).contains(adminName).contains("admin");
    // The live stream fills the cards within a tick or two.
    browser.waitFor(By.cssSelector("header .live.on"));
    browser.waitFor(By.cssSelector("svg.chart.bars"));
    browser.assertCleanLog("first sign-in");
    browser.screenshot("overview");

    // The access token is in memory only; a reload signs in again with the HttpOnly refresh
    // cookie, which the page cannot read.
    Object cookies = js("return document.cookie");
    assertThat(String.valueOf(cookies)).doesNotContain("sluice_refresh");
    assertThat(String.valueOf(js("return JSON.stringify(localStorage)"))).doesNotContain("eyJ");
    browser.driver.navigate().refresh();
    browser.waitFor(By.cssSelector("main[data-ready='overview']"));
    assertThat(browser.text(By.id("who"))).contains(adminName);
    browser.assertCleanLog("reload");
  }

  @Test
  @Order(2)
  void totpEnrolmentShowsTheQrCodeAndTheNextSignInNeedsACode() throws Exception {
    browser.page("security");
    browser.click(By.cssSelector("[data-action='enroll-totp']"));
    WebElement qr = browser.waitFor(By.cssSelector("img.qr"));
    assertThat(qr.getAttribute("src")).startsWith("data:image/png;base64,");
    assertThat(((Number) js("return arguments[0].naturalWidth", qr)).intValue()).isGreaterThan(50);
    totpSecret = browser.text(By.id("totp-secret")).trim();
    browser.screenshot("totp-enrolment");
    browser.type("totp-confirm", "code", TotpIT.code(totpSecret));
    browser.submit("totp-confirm");
    browser.waitFor(By.id("recovery-codes"));
    assertThat(browser.driver.findElements(By.cssSelector("#recovery-codes li"))).hasSize(10);
    browser.screenshot("totp-recovery-codes");

    browser.click(By.id("sign-out"));
    browser.waitFor(By.cssSelector("form[name='signin']"));
    browser.type("signin", "username", adminName);
    browser.type("signin", "password", PASSWORD);
    browser.submit("signin");
    browser.waitFor(By.cssSelector("form[name='totp']"));
    browser.screenshot("signin-totp");
    browser.type("totp", "totp", TotpIT.code(totpSecret));
    browser.submit("totp");
    browser.waitFor(By.cssSelector("main[data-ready='overview']"));
    browser.assertCleanLog("totp");
  }

  @Test
  @Order(3)
  void aNewProxyUsersPasswordIsShownOnce() {
    browser.page("users");
    proxyUser = Api.unique("web");
    browser.type("create-user", "username", proxyUser);
    browser.type("create-user", "maxConnections", "5");
    browser.submit("create-user");
    proxyPassword =
        browser.text(By.cssSelector("#created-user [data-secret='password'] .secret-value"));
    assertThat(proxyPassword).hasSize(24);
    // Other ITs may have created more users than one page holds: filter through the API.
    browser.filter("users", "username", proxyUser);
    browser.waitForText(By.cssSelector("[data-table='users'] tbody"), proxyUser);
    browser.screenshot("users");
    // Its environment, through the dialog.
    browser.click(By.cssSelector("#created-user [data-action='show proxy environment']"));
    browser.waitForText(By.cssSelector("dialog pre.env"), "ALL_PROXY");
    assertThat(browser.text(By.cssSelector("dialog pre.env"))).contains(proxyUser);
    browser.screenshot("users-proxy-env");
    browser.click(By.cssSelector("dialog .close-dialog"));
    // Shown once: a fresh page has the user but not the password.
    browser.page("overview");
    browser.page("users");
    browser.filter("users", "username", proxyUser);
    browser.waitForText(By.cssSelector("[data-table='users'] tbody"), proxyUser);
    assertThat(browser.driver.getPageSource()).doesNotContain(proxyPassword);
    browser.assertCleanLog("users");
  }

  @Test
  @Order(4)
  void exitsAndAPoolAreCreatedAndCheckedWithProgress() {
    browser.page("exits");
    String good = Api.unique("cdirect");
    String dead = Api.unique("cdead");
    browser.type("create-exit", "name", good);
    browser.type("create-exit", "kind", "direct");
    browser.submit("create-exit");
    browser.waitForText(By.cssSelector("[data-table='exits'] tbody"), good);
    browser.type("create-exit", "name", dead);
    browser.type("create-exit", "kind", "socks5");
    browser.type("create-exit", "host", "127.0.0.1");
    browser.type("create-exit", "port", "1");
    browser.submit("create-exit");
    browser.waitForText(By.cssSelector("[data-table='exits'] tbody"), dead);
    long goodId = exitId(good);
    long deadId = exitId(dead);
    browser.screenshot("exits");

    browser.click(By.cssSelector("[data-tab='pools']"));
    String pool = Api.unique("cpool");
    browser.type("create-pool", "name", pool);
    browser.type("create-pool", "exits", goodId + ", " + deadId);
    browser.submit("create-pool");
    browser.waitForText(By.cssSelector("[data-table='pools'] tbody"), pool);
    WebElement row =
        browser.driver.findElement(
            By.xpath("//section[@data-table='pools']//tr[td[text()='" + pool + "']]"));
    row.findElement(By.cssSelector("[data-action='check-pool']")).click();
    browser.waitFor(By.cssSelector("#check-progress[data-state='done']"));
    assertThat(browser.text(By.cssSelector("#check-progress .job-text")))
        .contains("2 of 2 checked: 1 healthy, 1 failing");
    assertThat(
            browser
                .driver
                .findElement(By.cssSelector("#check-progress progress"))
                .getAttribute("value"))
        .isEqualTo("2");
    browser.screenshot("exits-pool-check");

    // The exit's latency history as a chart.
    browser.click(By.cssSelector("[data-tab='exits']"));
    // Check it now, twice, from its row: the answer is shown, and the history gets points.
    for (int i = 0; i < 2; i++) {
      browser
          .waitFor(By.xpath("//section[@data-table='exits']//tr[td[text()='" + good + "']]"))
          .findElement(By.cssSelector("[data-action='check']"))
          .click();
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> browser.driver.findElements(By.cssSelector("[aria-busy='true']")).isEmpty());
      browser.waitForText(By.cssSelector("[data-table='exits'] .notice.ok"), good + ": healthy");
    }
    browser
        .waitFor(By.xpath("//section[@data-table='exits']//tr[td[text()='" + good + "']]"))
        .findElement(By.cssSelector("[data-action='history']"))
        .click();
    browser.waitFor(By.cssSelector("dialog svg.chart.line"));
    browser.screenshot("exit-latency-history");
    browser.click(By.cssSelector("dialog .close-dialog"));
    browser.assertCleanLog("exits");
  }

  @Test
  @Order(5)
  void theWhitelistWarningNamesTheBrowsersAddressAndSavingWithoutForceIsRefused() {
    browser.page("security");
    browser.click(By.cssSelector("[data-tab='panel whitelist']"));
    assertThat(browser.text(By.id("my-address"))).isEqualTo("127.0.0.1");
    WebElement area = browser.waitFor(By.cssSelector("textarea[name='cidrs']"));
    area.clear();
    area.sendKeys("203.0.113.0/24");
    browser.waitForText(By.id("lockout-warning"), "127.0.0.1");
    browser.click(By.id("save-whitelist"));
    browser.waitForText(By.cssSelector(".notice.error"), "127.0.0.1");
    assertThat(browser.text(By.id("lockout-warning"))).contains("Refused").contains("127.0.0.1");
    assertThat(browser.waitFor(By.id("force-save")).isDisplayed()).isTrue();
    browser.screenshot("panel-whitelist-lockout");
    List<String> cidrs = admin().get("/api/v1/settings/panel-whitelist").path("cidrs");
    assertThat(cidrs).doesNotContain("203.0.113.0/24");
    browser.assertCleanLog("whitelist");
  }

  @Test
  @Order(6)
  void aLiveSessionAppearsOnTheSessionsPageAndCloseEndsIt() throws Exception {
    Response p =
        admin()
            .body(Map.of("allowedDestinations", List.of(Fixtures.ALLOW_V4)))
            .patch("/api/v1/users/" + userId(proxyUser));
    assertThat(p.statusCode()).as(p.asString()).isEqualTo(200);
    browser.page("sessions");
    try (Socket s =
        Socks5Client.connect(ProxyIT.SOCKS, proxyUser, proxyPassword, "127.0.0.1", fx.echoPort())) {
      s.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
      byte[] buf = new byte[4];
      new java.io.DataInputStream(s.getInputStream()).readFully(buf);
      By row = By.xpath("//section[@data-table='sessions']//tr[td[text()='" + proxyUser + "']]");
      browser.waitFor(row);
      browser.screenshot("sessions");
      browser.click(
          By.xpath(
              "//section[@data-table='sessions']//tr[td[text()='"
                  + proxyUser
                  + "']]//button[@data-action='close']"));
      browser.acceptConfirm();
      browser.waitUntilGone(row);
      // The proxy closed the client's connection.
      s.setSoTimeout(5000);
      InputStream in = s.getInputStream();
      await()
          .atMost(5, TimeUnit.SECONDS)
          .until(() -> {
            try {
              return in.read() == -1;
            } catch (SocketException e) {
              return true;
            }
          });
    }
    browser.assertCleanLog("sessions");
  }

  @Test
  @Order(7)
  void theAuditLogShowsWhatTheConsoleDid() {
    browser.page("audit");
    WebElement actor = browser.waitFor(By.cssSelector("[data-table='audit'] input[name='actor']"));
    actor.sendKeys(adminName);
    actor.sendKeys(org.openqa.selenium.Keys.TAB);
    By body = By.cssSelector("[data-table='audit'] tbody");
    for (String action :
        List.of("users.create", "exits.create", "pools.create", "sessions.close")) {
      browser.waitForText(body, action);
    }
    browser.screenshot("audit");
    browser.assertCleanLog("audit");
  }

  @Test
  @Order(8)
  void everyPageRendersWithoutErrors() {
    for (String page :
        List.of(
            "overview",
            "users",
            "exits",
            "dedicated",
            "tunnels",
            "sessions",
            "security",
            "audit",
            "exports",
            "alerts",
            "tor",
            "vms",
            "firewall",
            "settings")) {
      browser.page(page);
      // Let the page's API calls finish before the picture.
      await()
          .pollDelay(Duration.ofMillis(300))
          .atMost(Duration.ofSeconds(5))
          .until(() -> browser.driver.findElements(By.cssSelector("[aria-busy='true']")).isEmpty());
      assertThat(browser.driver.findElements(By.cssSelector(".notice.error")))
          .as("error notices on page " + page)
          .isEmpty();
      browser.screenshot("page-" + page);
      browser.assertCleanLog("page " + page);
    }
  }

  @Test
  @Order(9)
  void anExportLinkIsCreatedCopiedAndRevoked() {
    browser.page("exports");
    browser.type("create-export", "scope", "users");
    browser.type("create-export", "format", "csv");
    browser.submit("create-export");
    String url = browser.text(By.cssSelector("[data-secret='export-url'] .secret-value"));
    assertThat(url).startsWith(Api.BASE + "/export/");
    assertThat(Api.anon().get(url).statusCode()).isEqualTo(200);
    browser.screenshot("exports");
    browser.click(By.cssSelector("[data-table='exports'] [data-action='revoke']"));
    browser.acceptConfirm();
    await().atMost(10, TimeUnit.SECONDS).until(() -> Api.anon().get(url).statusCode() == 410);
    browser.assertCleanLog("exports");
  }

  private static Object js(String script, Object... args) {
    return ((JavascriptExecutor) browser.driver).executeScript(script, args);
  }

  private static long exitId(String name) {
    Response r = admin().queryParam("size", 500).get("/api/v1/exits");
    Optional<Map<String, Object>> e =
        Api.items(r).stream().filter(x -> name.equals(x.get("name"))).findFirst();
    assertThat(e).as("exit " + name).isPresent();
    return ((Number) e.get().get("id")).longValue();
  }

  private static long userId(String name) {
    Response r = admin().queryParam("username", name).get("/api/v1/users");
    return ((Number) Api.items(r).get(0).get("id")).longValue();
  }
}
