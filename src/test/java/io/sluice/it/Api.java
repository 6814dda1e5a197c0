package io.sluice.it;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Shared access to the Sluice server that the build started: base URL, and an admin token obtained
 * the way an operator would get one on a fresh install (initial password from the environment or
 * from the start-up log, forced change at first login).
 */
public final class Api {

  public static final int HTTP_PORT = Integer.getInteger("sluice.it.http.port", 9080);
  public static final String BASE = "http://127.0.0.1:" + HTTP_PORT;

  /** The password the integration tests give the bootstrap admin at its first login. */
  public static final String ADMIN_PASSWORD = "It-Admin-Password-2026!";

  private static String adminToken;
  private static String initialPassword;

  private Api() {}

  public static RequestSpecification anon() {
    return given().baseUri(BASE).contentType(ContentType.JSON).accept(ContentType.JSON);
  }

  /** The typed admin client (io.sluice.client) with the bootstrap admin's token. */
  public static io.sluice.client.SluiceClient client() {
    return io.sluice.client.SluiceClient.builder().server(BASE).token(Api::adminToken).build();
  }

  public static RequestSpecification admin() {
    return anon().header("Authorization", "Bearer " + adminToken());
  }

  public static RequestSpecification as(String token) {
    return anon().header("Authorization", "Bearer " + token);
  }

  public static Response login(String username, String password) {
    return anon()
        .body(Map.of("username", username, "password", password))
        .post("/api/v1/auth/login");
  }

  /** The bootstrap admin's initial password: SLUICE_ADMIN_PASSWORD, or the one the log printed. */
  public static synchronized String initialAdminPassword() {
    if (initialPassword != null) {
      return initialPassword;
    }
    String env = System.getenv("SLUICE_ADMIN_PASSWORD");
    if (env != null && !env.isBlank()) {
      return initialPassword = env;
    }
    Path log =
        Path.of(
            System.getProperty(
                "sluice.it.server.log", "target/liberty/wlp/usr/servers/sluice/logs/messages.log"));
    // The bootstrap admin is created during start-up, which may finish after the server said it
    // was ready on a loaded machine: wait for the line (up to 90 s) instead of reading once.
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(90);
    while (true) {
      String found = null;
      try {
        if (Files.exists(log)) {
          Matcher m =
              Pattern.compile("SLUICE0020W: .*generated password: (\\S+)")
                  .matcher(Files.readString(log));
          while (m.find()) {
            found = m.group(1);
          }
        }
      } catch (IOException e) {
        throw new IllegalStateException("cannot read the server log " + log, e);
      }
      if (found != null) {
        return initialPassword = found;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "no generated admin password (SLUICE0020W) in " + log + " after 90 s");
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for SLUICE0020W", e);
      }
    }
  }

  /**
   * A full admin token. The first caller performs the forced first-login password change; later
   * callers (and later test classes in the same JVM) log in with the changed password.
   */
  public static synchronized String adminToken() {
    if (adminToken != null) {
      return adminToken;
    }
    Response first = login("admin", initialAdminPassword());
    if (first.statusCode() == 200) {
      String restricted = first.path("accessToken");
      if (Boolean.TRUE.equals(first.path("passwordChangeRequired"))) {
        Response changed =
            as(restricted)
                .body(
                    Map.of(
                        "currentPassword", initialAdminPassword(), "newPassword", ADMIN_PASSWORD))
                .post("/api/v1/auth/password");
        if (changed.statusCode() != 200) {
          throw new IllegalStateException("password change failed: " + changed.asString());
        }
        return adminToken = changed.path("accessToken");
      }
      return adminToken = restricted;
    }
    Response again = login("admin", ADMIN_PASSWORD);
    if (again.statusCode() != 200) {
      throw new IllegalStateException(
          "admin login failed with both passwords: " + again.asString());
    }
    return adminToken = again.path("accessToken");
  }

  /** Marks the admin token as obtained elsewhere (by the first-login test itself). */
  static synchronized void adminTokenObtained(String token) {
    adminToken = token;
  }

  /** A unique name for objects a test creates, so reruns against one database do not collide. */
  public static String unique(String prefix) {
    return prefix + "_" + Long.toString(System.nanoTime() & 0xffffffffL, 36);
  }

  @SuppressWarnings("unchecked")
  public static List<Map<String, Object>> items(Response r) {
    return (List<Map<String, Object>>) r.path("items");
  }
}
