package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.UnexpectedAlertBehaviour;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven by its chromedriver, for the console's browser tests: a fresh
 * profile per run, nothing reaching outside (no component updates, sync or background networking),
 * screenshots under {@code target/console-screenshots}, and the browser log read after every step
 * so console errors and CSP violations fail the test.
 */
final class Browser implements AutoCloseable {

  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path SHOTS = Path.of("target", "console-screenshots");

  final WebDriver driver;
  private final Path profile;

  private Browser(WebDriver driver, Path profile) {
    this.driver = driver;
    this.profile = profile;
  }

  /** Skips the calling test (JUnit assumption) when Chromium or its driver is not installed. */
  static Browser start() throws IOException {
    Assumptions.assumeTrue(
        Files.isExecutable(CHROMEDRIVER) && Files.isExecutable(CHROMIUM),
        "Debian packages chromium and chromium-driver are not installed (/usr/bin/chromedriver"
            + " missing): the browser tests are skipped; scripts/test.sh installs them");
    Path profile = Files.createTempDirectory("sluice-chromium-");
    ChromeOptions o = new ChromeOptions();
    o.setBinary(CHROMIUM.toFile());
    o.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1400,1000",
        "--user-data-dir=" + profile);
    o.setUnhandledPromptBehaviour(UnexpectedAlertBehaviour.ACCEPT);
    o.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
    Files.createDirectories(SHOTS);
    try (Stream<Path> old = Files.list(SHOTS)) {
      for (Path f : old.filter(f -> f.getFileName().toString().startsWith("FAILED-")).toList()) {
        Files.delete(f);
      }
    }
    Browser b = new Browser(new ChromeDriver(service, o), profile);
    b.driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
    return b;
  }

  void open(String path) {
    driver.get(Api.BASE + path);
  }

  /** Navigates to a console page and waits until it rendered. */
  void page(String name) {
    ((JavascriptExecutor) driver).executeScript("location.hash = arguments[0]", "#/" + name);
    waitFor(By.cssSelector("main[data-ready='" + name + "']"));
  }

  WebElement waitFor(By by) {
    return new WebDriverWait(driver, Duration.ofSeconds(15))
        .until(ExpectedConditions.visibilityOfElementLocated(by));
  }

  /** Waits until the text of the element found by {@code by} contains {@code text}. */
  void waitForText(By by, String text) {
    new WebDriverWait(driver, Duration.ofSeconds(20))
        .ignoring(StaleElementReferenceException.class)
        .until(ExpectedConditions.textToBePresentInElementLocated(by, text));
  }

  /** Accepts the confirm() dialog an action opened. */
  void acceptConfirm() {
    new WebDriverWait(driver, Duration.ofSeconds(10))
        .until(ExpectedConditions.alertIsPresent())
        .accept();
  }

  void waitUntilGone(By by) {
    new WebDriverWait(driver, Duration.ofSeconds(20))
        .ignoring(StaleElementReferenceException.class)
        .until(ExpectedConditions.invisibilityOfElementLocated(by));
  }

  /** Types into a named field of a named form. */
  void type(String form, String field, String value) {
    WebElement input = waitFor(By.cssSelector("form[name='" + form + "'] [name='" + field + "']"));
    if ("SELECT".equalsIgnoreCase(input.getTagName())) {
      new org.openqa.selenium.support.ui.Select(input).selectByValue(value);
      return;
    }
    input.clear();
    input.sendKeys(value);
  }

  /** Types into a table's filter (the API filters; the table reloads on change). */
  void filter(String table, String field, String value) {
    WebElement input =
        waitFor(By.cssSelector("[data-table='" + table + "'] .filters [name='" + field + "']"));
    input.clear();
    input.sendKeys(value, org.openqa.selenium.Keys.TAB);
  }

  void submit(String form) {
    driver.findElement(By.cssSelector("form[name='" + form + "'] button[type=submit]")).click();
  }

  /** Clicks, retrying once when a live page redrew the element in between. */
  void click(By by) {
    try {
      waitFor(by).click();
    } catch (StaleElementReferenceException e) {
      waitFor(by).click();
    }
  }

  String text(By by) {
    return waitFor(by).getText();
  }

  void screenshot(String name) {
    try {
      byte[] png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
      Files.write(SHOTS.resolve(name + ".png"), png);
    } catch (IOException | RuntimeException e) {
      System.err.println("screenshot " + name + " failed: " + e);
    }
  }

  /**
   * The browser log since the last call: SEVERE entries fail the test (JavaScript errors, CSP
   * violations, failed loads), except the 401 and 409 answers a step provokes on purpose (a wrong
   * sign-in, the refused whitelist) that Chromium logs as failed resource loads.
   */
  void assertCleanLog(String step) {
    List<String> problems = new ArrayList<>();
    for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
      String m = e.getMessage();
      boolean expected =
          m.contains("the server responded with a status of 401")
              || m.contains("the server responded with a status of 409");
      if (e.getLevel().intValue() >= Level.SEVERE.intValue() && !expected) {
        problems.add(step + ": " + m);
      }
    }
    assertThat(problems).as("browser console errors and CSP violations").isEmpty();
  }

  @Override
  public void close() throws IOException {
    try {
      driver.quit();
    } finally {
      try (Stream<Path> files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
