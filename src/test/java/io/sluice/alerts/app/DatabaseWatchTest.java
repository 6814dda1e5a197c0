package io.sluice.alerts.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.path.json.JsonPath;
import io.sluice.alerts.domain.AlertStore;
import io.sluice.alerts.domain.AlertTx;
import io.sluice.alerts.domain.Channel;
import io.sluice.alerts.domain.ChannelRow;
import io.sluice.alerts.domain.RuleSettings;
import io.sluice.alerts.domain.Rules;
import io.sluice.alerts.infra.AlertsDb;
import io.sluice.alerts.infra.HttpStub;
import io.sluice.alerts.infra.WebhookSender;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * {@code database-unreachable}: while the database (a real H2) refuses, the node sends the firing
 * notice after {@code for} straight to the channels it knew, and the resolved notice when the
 * database answers again; a webhook receiver sees both.
 */
class DatabaseWatchTest {

  private static final Instant T0 = Instant.parse("2026-02-01T00:00:00Z");

  @Test
  void firesAfterForWhileDownAndResolvesWhenBack() throws Exception {
    DataSource ds = AlertsDb.h2();
    AlertTx real = AlertsDb.tx(ds);
    AtomicBoolean down = new AtomicBoolean();
    List<String> outcomes = new ArrayList<>();
    try (HttpStub receiver = new HttpStub()) {
      AlertsDb.channel(real, "hook", "webhook", "{\"url\":\"" + receiver.url() + "/db\"}");
      DatabaseWatch w = new DatabaseWatch();
      w.tx =
          new AlertTx() {
            @Override
            public <T> T inTransaction(Function<AlertStore, T> work) {
              if (down.get()) {
                throw new IllegalStateException("Connection refused");
              }
              return real.inTransaction(work);
            }
          };
      w.channels =
          new ChannelService() {
            @Override
            public Channel open(ChannelRow row) {
              String url = JsonPath.from(row.config()).getString("url");
              return new Channel(
                  row.id(), row.name(), row.type(), true, Map.of("url", url), Map.of());
            }
          };
      w.senders = () -> List.of(new WebhookSender(Duration.ofSeconds(5), null));
      w.settings =
          new AlertSettings() {
            @Override
            public RuleSettings of(String rule) {
              return new RuleSettings(
                  rule, true, 0, Duration.ofSeconds(30), Duration.ofMinutes(10), "critical");
            }
          };
      w.metrics =
          new DeliveryMetrics() {
            @Override
            public void outcome(String channelType, String outcome) {
              outcomes.add(channelType + ":" + outcome);
            }
          };

      assertThat(w.check(T0)).isTrue();
      down.set(true);
      assertThat(w.check(T0.plusSeconds(1))).isFalse();
      assertThat(w.check(T0.plusSeconds(20))).isFalse();
      assertThat(receiver.requests()).as("not before 'for'").isEmpty();
      assertThat(w.check(T0.plusSeconds(31))).isFalse();
      assertThat(receiver.requests()).hasSize(1);
      assertThat(w.check(T0.plusSeconds(60))).isFalse();
      assertThat(receiver.requests()).as("no repeat before 10 min").hasSize(1);
      down.set(false);
      assertThat(w.check(T0.plusSeconds(90))).isTrue();
      assertThat(receiver.requests()).hasSize(2);
      JsonPath firing = JsonPath.from(receiver.requests().get(0).body());
      JsonPath resolved = JsonPath.from(receiver.requests().get(1).body());
      assertThat(firing.getString("groupLabels.alertname")).isEqualTo(Rules.DATABASE_UNREACHABLE);
      assertThat(firing.getString("status")).isEqualTo("firing");
      assertThat(resolved.getString("status")).isEqualTo("resolved");
      assertThat(resolved.getString("alerts[0].endsAt")).isEqualTo(T0.plusSeconds(90).toString());
      assertThat(outcomes).containsExactly("webhook:sent", "webhook:sent");
    }
  }
}
