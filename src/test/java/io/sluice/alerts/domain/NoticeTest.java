package io.sluice.alerts.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Notice titles, ordering, escaping, and the JSON round trip of outbox payloads. */
class NoticeTest {

  private static AlertItem item(long id, String key, String status, String severity) {
    return new AlertItem(
        id,
        "pool-failing",
        key,
        status,
        severity,
        "x <b>&</b>",
        Map.of("pool", key),
        Instant.parse("2026-01-01T00:00:00Z"),
        "resolved".equals(status) ? Instant.parse("2026-01-01T01:00:00Z") : null);
  }

  @Test
  void firingFirstTitleCountsFiringSeverityIsTheHighest() {
    Notice n =
        new Notice(
            "pool-failing",
            List.of(
                item(1, "b", "resolved", "critical"),
                item(2, "c", "firing", "warning"),
                item(3, "a", "firing", "info")),
            false);
    assertThat(n.title()).isEqualTo("[FIRING:2] pool-failing");
    assertThat(n.items()).extracting(AlertItem::key).containsExactly("a", "c", "b");
    assertThat(n.severity()).isEqualTo("critical");
    assertThat(n.html()).contains("x &lt;b&gt;&amp;&lt;/b&gt;").doesNotContain("<b>&</b>");
    assertThat(n.text()).contains("x <b>&</b>").contains("Resolved:");
    Notice resolved =
        new Notice("pool-failing", List.of(item(1, "b", "resolved", "warning")), false);
    assertThat(resolved.title()).isEqualTo("[RESOLVED] pool-failing");
  }

  @Test
  void payloadRoundTrips() {
    AlertItem i = item(9, "eu \"west\"", "resolved", "warning");
    assertThat(AlertItem.fromJson(i.toJson())).isEqualTo(i);
    AlertItem f = item(10, "us", "firing", "critical");
    assertThat(AlertItem.fromJson(f.toJson())).isEqualTo(f);
  }

  @Test
  void htmlEscapesEverySpecialCharacter() {
    assertThat(Html.escape("<a href=\"x\">'&'</a>"))
        .isEqualTo("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  }
}
