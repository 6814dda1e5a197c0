package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Brute-force lockout, from loopback source addresses of their own (127.0.0.5 and 127.0.0.6) so the
 * lockouts do not hit the other tests, which run from 127.0.0.1.
 */
class LoginLockoutIT {

  record Reply(int status, String body) {}

  static Reply login(String fromIp, String username, String password) throws IOException {
    String json = "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}";
    try (Socket s =
        new Socket(
            InetAddress.getByName("127.0.0.1"), Api.HTTP_PORT, InetAddress.getByName(fromIp), 0)) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(
          ("POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                  + "Connection: close\r\nContent-Length: "
                  + json.getBytes(StandardCharsets.UTF_8).length
                  + "\r\n\r\n"
                  + json)
              .getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = s.getInputStream();
      String all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      int status = Integer.parseInt(all.substring(9, 12));
      return new Reply(status, all);
    }
  }

  @Test
  void sixthFailureFromOneAddressIsLockedEvenWithTheRightPassword() throws Exception {
    String from = "127.0.0.5";
    for (int i = 1; i <= 5; i++) {
      assertThat(login(from, Api.unique("nobody"), "wrong-password-" + i).status())
          .as("attempt " + i)
          .isEqualTo(401);
    }
    Reply sixth = login(from, "admin", Api.ADMIN_PASSWORD);
    assertThat(sixth.status()).isEqualTo(429);
    assertThat(sixth.body())
        .contains("application/problem+json")
        .contains("too many failed logins");
    // Other addresses are not affected.
    Api.adminToken();
    assertThat(login("127.0.0.7", "admin", Api.ADMIN_PASSWORD).status()).isEqualTo(200);
  }

  @Test
  void anAccountIsLockedAcrossAddressesAndUnknownNamesLookTheSame() throws Exception {
    String ghost = Api.unique("ghost");
    for (int i = 0; i < 5; i++) {
      assertThat(login(i % 2 == 0 ? "127.0.0.6" : "127.0.0.8", ghost, "nope").status())
          .isEqualTo(401);
    }
    assertThat(login("127.0.0.9", ghost, "nope").status())
        .as("locked name, unknown or not")
        .isEqualTo(429);
    String metrics = Api.anon().accept("text/plain").get("/metrics").asString();
    assertThat(metrics).containsPattern("sluice_auth_lockouts_total\\{[^}]*\\} [1-9]");
  }

  @Test
  void commonPasswordsAreRefused() {
    var r =
        Api.admin()
            .body(
                java.util.Map.of(
                    "username", Api.unique("weak"), "password", "Password2024!", "role", "viewer"))
            .post("/api/v1/admins");
    ProblemAssert.assertProblem(r, 400, "validation");
    assertThat(r.asString()).contains("not-common");
  }
}
