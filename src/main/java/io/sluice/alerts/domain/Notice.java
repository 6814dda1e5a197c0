package io.sluice.alerts.domain;

import java.util.List;

/**
 * One message to one channel: the alerts of one rule whose notices were due together (grouped),
 * firing ones first.
 *
 * @param test a test message from {@code POST /api/v1/alerts/channels/{id}/test}
 */
public record Notice(String rule, List<AlertItem> items, boolean test) {

  public Notice {
    items =
        items.stream()
            .sorted(
                java.util.Comparator.comparing(AlertItem::resolved).thenComparing(AlertItem::key))
            .toList();
  }

  public static Notice test(String channelName) {
    AlertItem item =
        new AlertItem(
            0,
            "test",
            channelName,
            Alert.FIRING,
            "info",
            "Test message from Sluice to channel " + channelName,
            java.util.Map.of(),
            java.time.Instant.now(),
            null);
    return new Notice("test", List.of(item), true);
  }

  public List<AlertItem> firing() {
    return items.stream().filter(i -> !i.resolved()).toList();
  }

  public List<AlertItem> resolved() {
    return items.stream().filter(AlertItem::resolved).toList();
  }

  /** The highest severity among the items ({@code critical} over {@code warning} over others). */
  public String severity() {
    for (String s : List.of("critical", "warning")) {
      if (items.stream().anyMatch(i -> s.equals(i.severity()))) {
        return s;
      }
    }
    return items.isEmpty() ? "info" : items.get(0).severity();
  }

  /** {@code [FIRING:2] pool-failing} or {@code [RESOLVED] pool-failing}, as Alertmanager does. */
  public String title() {
    if (test) {
      return "[TEST] Sluice alert channel";
    }
    int firing = firing().size();
    return (firing > 0 ? "[FIRING:" + firing + "] " : "[RESOLVED] ") + rule;
  }

  /** Plain text: the title, then one line per alert. */
  public String text() {
    return String.join("\n", lines(false)) + "\n";
  }

  /** HTML (every value escaped): the title in bold, then one line per alert. */
  public String html() {
    return String.join("\n", lines(true)) + "\n";
  }

  /**
   * The message line by line (HTML lines are each complete: tags never span lines), so a channel
   * with a size limit can split between lines.
   */
  public List<String> lines(boolean html) {
    List<String> out = new java.util.ArrayList<>();
    out.add(html ? "<b>" + Html.escape(title()) + "</b>" : title());
    section(out, "Firing", firing(), html);
    section(out, "Resolved", resolved(), html);
    return out;
  }

  private static void section(List<String> out, String name, List<AlertItem> items, boolean html) {
    if (items.isEmpty()) {
      return;
    }
    out.add("");
    out.add(html ? "<b>" + name + "</b>" : name + ":");
    for (AlertItem i : items) {
      String line =
          "- ["
              + i.severity()
              + "] "
              + i.key()
              + ": "
              + i.summary()
              + " (since "
              + i.startsAt()
              + (i.endsAt() != null ? ", until " + i.endsAt() : "")
              + ")";
      out.add(html ? Html.escape(line) : line);
    }
  }
}
