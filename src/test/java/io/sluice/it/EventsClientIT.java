package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The typed client reads the live event stream as it arrives (GET /api/v1/events). */
class EventsClientIT {

  @Test
  void theClientStreamsServerSentEvents() throws Exception {
    List<String> events = new ArrayList<>();
    try (InputStream in = Api.client().events().stream();
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      long deadline = System.nanoTime() + 20_000_000_000L;
      String line;
      while (events.size() < 2 && System.nanoTime() < deadline && (line = r.readLine()) != null) {
        if (line.startsWith("event:")) {
          events.add(line.substring("event:".length()).trim());
        }
      }
    }
    assertThat(events).as("a hello, then the first stats snapshot").contains("hello", "stats");
  }
}
