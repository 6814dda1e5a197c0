package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Admin API rate limits, from loopback addresses of their own (the Maven-run server exempts only
 * 127.0.0.1): 5 logins and 60 API calls per minute per source address.
 */
class RateLimitIT {

  static String call(String fromIp, String method, String path, String json) throws IOException {
    try (Socket s =
        new Socket(
            InetAddress.getByName("127.0.0.1"), Api.HTTP_PORT, InetAddress.getByName(fromIp), 0)) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      String body = json == null ? "" : json;
      out.write(
          (method
                  + " "
                  + path
                  + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                  + "Connection: close\r\nContent-Length: "
                  + body.getBytes(StandardCharsets.UTF_8).length
                  + "\r\n\r\n"
                  + body)
              .getBytes(StandardCharsets.UTF_8));
      out.flush();
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  static int status(String reply) {
    return Integer.parseInt(reply.substring(9, 12));
  }

  @Test
  void theSixthLoginInAMinuteIsRefusedWithRetryAfter() throws Exception {
    Api.adminToken();
    String json = "{\"username\":\"admin\",\"password\":\"" + Api.ADMIN_PASSWORD + "\"}";
    for (int i = 1; i <= 5; i++) {
      assertThat(status(call("127.0.0.12", "POST", "/api/v1/auth/login", json)))
          .as("login " + i)
          .isEqualTo(200);
    }
    String sixth = call("127.0.0.12", "POST", "/api/v1/auth/login", json);
    assertThat(status(sixth)).isEqualTo(429);
    assertThat(sixth)
        .containsIgnoringCase("Retry-After:")
        .contains("application/problem+json")
        .contains("too-many-requests");
  }

  /**
   * The bucket refills greedily (one token a second for 60/min), so a slow machine that needs
   * several seconds for the first 60 calls earns that many more: the refusal must come after the
   * 60th call and no later than the refill over the elapsed time allows.
   */
  @Test
  void theApiAllowsSixtyCallsAMinutePerAddress() throws Exception {
    long start = System.nanoTime();
    for (int i = 1; i <= 60; i++) {
      assertThat(status(call("127.0.0.13", "GET", "/api/v1/auth/jwks", null)))
          .as("call " + i)
          .isEqualTo(200);
    }
    int extra = 0;
    while (status(call("127.0.0.13", "GET", "/api/v1/auth/jwks", null)) == 200) {
      extra++;
      long refilled = (System.nanoTime() - start) / 1_000_000_000L + 1;
      assertThat(extra)
          .as("calls past 60 after %d s (refill is 1/s)", refilled)
          .isLessThanOrEqualTo((int) refilled);
    }
    assertThat(status(call("127.0.0.14", "GET", "/api/v1/auth/jwks", null)))
        .as("other address")
        .isEqualTo(200);
  }
}
