package io.sluice.alerts.domain;

import java.time.Instant;
import java.util.Map;

/**
 * One alert row: pending until its rule's {@code for} has passed, then firing, then resolved (or
 * cleared: the condition went away before it ever fired, and nobody was told).
 */
public final class Alert {

  public static final String PENDING = "pending";
  public static final String FIRING = "firing";
  public static final String RESOLVED = "resolved";
  public static final String CLEARED = "cleared";

  public long id;
  public String rule;
  public String key;
  public String state;
  public String severity;
  public String summary;
  public Map<String, String> labels = Map.of();
  public Instant startsAt;
  public Instant lastSeenAt;
  public Instant firedAt;
  public Instant notifiedAt;
  public Instant endsAt;

  public boolean live() {
    return PENDING.equals(state) || FIRING.equals(state);
  }

  /** The value of the unique {@code active_key} column: set while live, null after. */
  public String activeKey() {
    return live() ? rule + "|" + key : null;
  }

  /** This alert as a notice shows it. */
  public AlertItem item() {
    return new AlertItem(
        id,
        rule,
        key,
        RESOLVED.equals(state) ? RESOLVED : FIRING,
        severity,
        summary,
        labels,
        startsAt,
        endsAt);
  }
}
