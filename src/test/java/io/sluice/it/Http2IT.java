package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The admin API over HTTP/2 (the JDK client upgrades a plain-http connection with h2c): a POST with
 * a JSON body on the upgraded connection is read like one over HTTP/1.1 (it was refused with 400
 * "Content-Length is not a number" before: the header arrived as a repeated value).
 */
class Http2IT {

  @Test
  void aPostOnAnUpgradedHttp2ConnectionIsAnsweredNormally() throws Exception {
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_2)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    HttpResponse<String> first =
        client.send(
            HttpRequest.newBuilder(URI.create(Api.BASE + "/health/live"))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(first.statusCode()).isEqualTo(200);
    HttpResponse<String> login =
        client.send(
            HttpRequest.newBuilder(URI.create(Api.BASE + "/api/v1/auth/login"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"username\":\"nobody-h2\",\"password\":\"wrong-password-h2\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    System.out.printf(
        "Http2IT: first answer over %s, the POST over %s%n", first.version(), login.version());
    assertThat(login.statusCode()).as(login.body()).isEqualTo(401);
    assertThat(login.body()).doesNotContain("Content-Length");
  }
}
