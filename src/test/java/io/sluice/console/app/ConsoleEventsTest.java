package io.sluice.console.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConsoleEventsTest {

  static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

  /** A stream that keeps what it was sent. */
  static final class Recorded implements Subscriber {
    final String role;
    final Instant expires;
    final List<String> events = new ArrayList<>();
    boolean closed;

    Recorded(String role, Instant expires) {
      this.role = role;
      this.expires = expires;
    }

    @Override
    public String role() {
      return role;
    }

    @Override
    public Instant expiresAt() {
      return expires;
    }

    @Override
    public boolean send(String event, String json) {
      if (closed) {
        return false;
      }
      events.add(event + " " + json);
      return true;
    }

    @Override
    public boolean isClosed() {
      return closed;
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  static ConsoleEvents events(Instant now) {
    return new ConsoleEvents(Clock.fixed(now, ZoneOffset.UTC));
  }

  @Test
  void securityEventsReachAdminsOnly() {
    ConsoleEvents e = events(NOW);
    Recorded admin = new Recorded("admin", NOW.plusSeconds(60));
    Recorded viewer = new Recorded("viewer", NOW.plusSeconds(60));
    assertThat(e.subscribe(admin)).isTrue();
    assertThat(e.subscribe(viewer)).isTrue();
    assertThat(viewer.events).anyMatch(s -> s.startsWith("hello ") && s.contains("viewer"));

    assertThat(e.publish(Audience.ADMIN, "security", "{\"kind\":\"auth.failure\"}")).isEqualTo(1);
    assertThat(e.publish(Audience.VIEWER, "agent", "{}")).isEqualTo(2);
    assertThat(admin.events).anyMatch(s -> s.startsWith("security "));
    assertThat(viewer.events).noneMatch(s -> s.startsWith("security "));
    assertThat(viewer.events).anyMatch(s -> s.startsWith("agent "));
  }

  @Test
  void otherRolesReceiveNothing() {
    assertThat(Audience.VIEWER.allows("password-change")).isFalse();
    assertThat(Audience.VIEWER.allows("orchestrator")).isFalse();
    assertThat(Audience.ADMIN.allows("viewer")).isFalse();
    assertThat(Audience.ADMIN.allows("admin")).isTrue();
  }

  @Test
  void aStreamEndsWhenItsTokenExpiresAndClosedStreamsAreForgotten() {
    ConsoleEvents e = events(NOW);
    Recorded expired = new Recorded("admin", NOW);
    Recorded gone = new Recorded("viewer", NOW.plusSeconds(60));
    Recorded fine = new Recorded("viewer", NOW.plusSeconds(60));
    e.subscribe(expired);
    e.subscribe(gone);
    e.subscribe(fine);
    gone.closed = true;
    e.prune();
    assertThat(expired.closed).isTrue();
    assertThat(expired.events).anyMatch(s -> s.startsWith("expired "));
    assertThat(e.subscribers()).isEqualTo(1);
    assertThat(e.publish(Audience.VIEWER, "agent", "{}")).isEqualTo(1);
  }

  @Test
  void theNumberOfStreamsIsBounded() {
    ConsoleEvents e = events(NOW);
    for (int i = 0; i < ConsoleEvents.MAX_SUBSCRIBERS; i++) {
      assertThat(e.subscribe(new Recorded("viewer", NOW.plusSeconds(60)))).isTrue();
    }
    assertThat(e.subscribe(new Recorded("viewer", NOW.plusSeconds(60)))).isFalse();
  }
}
