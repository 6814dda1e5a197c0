package io.sluice.alerts.infra;

import io.sluice.alerts.domain.DeliveryFailure;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/** One JSON POST with connect and request timeouts, errors turned into {@link DeliveryFailure}s. */
final class HttpSend {

  private final HttpClient client;
  private final Duration timeout;

  HttpSend(Duration timeout) {
    this.timeout = timeout;
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /** Status and body; {@code what} names the far end in errors (never a secret). */
  HttpResponse<String> post(String url, String json, Map<String, String> headers, String what)
      throws DeliveryFailure {
    HttpRequest.Builder b;
    try {
      b =
          HttpRequest.newBuilder(URI.create(url))
              .timeout(timeout)
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
      headers.forEach(b::header);
    } catch (IllegalArgumentException e) {
      throw new DeliveryFailure(what + ": bad URL or header", false);
    }
    try {
      return client.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (HttpTimeoutException e) {
      throw new DeliveryFailure(what + ": timed out after " + timeout.toSeconds() + " s", true);
    } catch (IOException e) {
      throw new DeliveryFailure(what + ": " + e.getClass().getSimpleName(), true);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DeliveryFailure(what + ": interrupted", true);
    }
  }
}
